import { describe, expect, it, vi } from 'vitest';
import { sessionPacingStore } from '@/lib/background/pacing-store';
import { Pacer } from '@/lib/psa/pacing';

/** A `storage.session` area in memory, counting its calls. */
function fakeArea() {
  const data: Record<string, unknown> = {};
  return {
    data,
    get: vi.fn(async (key: string) => (key in data ? { [key]: structuredClone(data[key]) } : {})),
    set: vi.fn(async (items: Record<string, unknown>) => void Object.assign(data, structuredClone(items))),
  };
}

describe('the pacer’s log in storage.session', () => {
  it('is read once per worker life and written through on every request, without waiting for the write', async () => {
    const area = fakeArea();
    let clock = 1_000;
    const pacer = new Pacer({ limit: { limit: 10, windowMs: 60_000, per: 'api' }, store: sessionPacingStore(area as never), now: () => clock });
    for (let request = 0; request < 4; request++) {
      await pacer.acquire('GET', 'https://psa.example/api/Client');
      clock += 10;
    }
    expect(area.get).toHaveBeenCalledTimes(1);
    expect(area.set).toHaveBeenCalledTimes(4);
    expect(area.data['pacing:|api']).toEqual([1_000, 1_010, 1_020, 1_030]);

    // A restarted worker reads what the last one saved: five allowed (half of 10), four used.
    const restarted = new Pacer({
      limit: { limit: 10, windowMs: 60_000, per: 'api' },
      store: sessionPacingStore(area as never),
      now: () => clock,
      maxWaitMs: 0,
    });
    await restarted.acquire('GET', 'https://psa.example/api/Client');
    await expect(restarted.acquire('GET', 'https://psa.example/api/Client')).rejects.toMatchObject({ code: 'rate-limited' });
  });

  it('does not hold a request up until storage has the write', async () => {
    const area = fakeArea();
    area.set.mockImplementation(() => new Promise<undefined>(() => {})); // the browser never answers
    const pacer = new Pacer({ limit: { limit: 10, windowMs: 60_000, per: 'api' }, store: sessionPacingStore(area as never), now: () => 1_000 });
    const acquired = Promise.all([1, 2, 3].map(() => pacer.acquire('GET', 'https://psa.example/api/Client')));
    await expect(Promise.race([acquired.then(() => 'went'), new Promise((resolve) => setTimeout(() => resolve('held'), 200))])).resolves.toBe('went');
    expect(area.set).toHaveBeenCalledTimes(3);
  });

  it('hands out copies, and reads storage again after a failed read', async () => {
    const area = fakeArea();
    area.data['pacing:k'] = [1, 2];
    const store = sessionPacingStore(area as never);
    area.get.mockRejectedValueOnce(new Error('storage unavailable'));
    await expect(store.load('k')).rejects.toThrow('storage unavailable');
    const first = await store.load('k');
    first.push(3);
    expect(await store.load('k')).toEqual([1, 2]);
    expect(area.get).toHaveBeenCalledTimes(2);
    await store.save('k', [1, 2, 3]);
    expect(await store.load('k')).toEqual([1, 2, 3]);
    expect(area.data['pacing:k']).toEqual([1, 2, 3]);
  });
});

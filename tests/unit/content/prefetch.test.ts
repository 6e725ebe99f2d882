import { describe, expect, it } from 'vitest';
import { prefetchFor } from '@/lib/content/prefetch';
import type { DetectedPage } from '@/lib/detect';

/** Issue #7: the loader asks for a record's docs while the overlay bundle loads; the overlay takes that answer once. */
describe('the overlay’s prefetch', () => {
  const ticket: DetectedPage = { psa: 'connectwise', kind: 'ticket', id: '42' };

  it('hands its answer once, for the record it was asked for, with or without the page’s hints', async () => {
    const asked: DetectedPage[] = [];
    const prefetch = prefetchFor(ticket, async (page) => {
      asked.push(page);
      return { ok: true, data: 'answer' };
    });
    expect(prefetch.take({ ...ticket, id: '43' })).toBeUndefined();
    expect(prefetch.take({ psa: 'connectwise', kind: 'company', id: '42' })).toBeUndefined();
    await expect(prefetch.take({ ...ticket, hints: { companyName: 'Northwind' } })).resolves.toEqual({ ok: true, data: 'answer' });
    expect(prefetch.take(ticket)).toBeUndefined(); // a refetch asks anew
    expect(asked).toEqual([ticket]);
  });

  it('a failed prefetch rejects only for whoever takes it (no unhandled rejection when nobody does)', async () => {
    const failing = prefetchFor(ticket, () => Promise.reject(new Error('background asleep')));
    await expect(failing.take(ticket)).rejects.toThrow('background asleep');
    prefetchFor(ticket, () => Promise.reject(new Error('never taken')));
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});

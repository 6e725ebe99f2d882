import { describe, expect, it } from 'vitest';
import { connectToHost } from '@/lib/overlay-frame/host-link';

/**
 * Issue #12: the overlay frame takes the one port its host hands over with the secret the
 * background holds for the tab, and nothing the PSA page offers (same window, same origin as the
 * host's messages: only the secret tells them apart). Checked to fail: with the secret comparison
 * in connectToHost removed, the page's offer is taken.
 */

const SECRET = 'f'.repeat(48);

function fakeFrameWindow() {
  const parent = {} as Window;
  const listeners = new Set<(event: MessageEvent) => void>();
  const win = {
    parent,
    addEventListener: (_type: string, listener: (event: MessageEvent) => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: (event: MessageEvent) => void) => listeners.delete(listener),
  } as unknown as Window;
  const deliver = (data: unknown, port?: MessagePort, source: unknown = parent) => {
    for (const listener of [...listeners]) listener({ data, source, ports: port ? [port] : [] } as unknown as MessageEvent);
  };
  return { win, parent, deliver, listening: () => listeners.size };
}

const settled = (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => 'connected',
      () => 'refused',
    ),
    new Promise((resolve) => setTimeout(() => resolve('waiting'), 50)),
  ]);

describe('connectToHost', () => {
  it('takes only the port offered with the background’s secret, even when offers come before the secret', async () => {
    const { win, deliver, listening } = fakeFrameWindow();
    let answer!: (secret: string) => void;
    const linked = connectToHost(win, () => new Promise((resolve) => (answer = resolve)));
    const page = new MessageChannel();
    const host = new MessageChannel();
    deliver({ sidecar: 'connect', secret: 'a'.repeat(48) }, page.port2); // the page's guess
    deliver({ sidecar: 'connect', secret: SECRET }, page.port2, {}); // right secret, another window
    deliver({ sidecar: 'connect', secret: SECRET }); // no port
    answer(SECRET);
    expect(await settled(linked)).toBe('waiting');
    deliver({ sidecar: 'connect', secret: SECRET }, host.port2);
    const link = await linked;
    expect(listening()).toBe(0);

    // The line works both ways, and a request goes to the host's port, never the page's.
    const heardByPage: unknown[] = [];
    page.port1.onmessage = (event) => heardByPage.push(event.data);
    host.port1.onmessage = (event) => {
      const message = event.data as { id: number };
      host.port1.postMessage({ type: 'reply', id: message.id, reply: { ok: true, data: { opened: true } } });
    };
    await expect(link.request('overlay.openOptions', {})).resolves.toEqual({ opened: true });
    expect(heardByPage).toEqual([]);
    for (const port of [page.port1, host.port1]) port.close();
  });

  it('refuses to draw anything when the background holds no secret for its tab (a copy framed elsewhere)', async () => {
    const { win, deliver } = fakeFrameWindow();
    const linked = connectToHost(win, async () => null);
    const page = new MessageChannel();
    deliver({ sidecar: 'connect', secret: '' }, page.port2);
    expect(await settled(linked)).toBe('refused');
    page.port1.close();
  });
});

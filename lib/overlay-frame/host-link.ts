import { z } from 'zod';
import { pageSchema, type RequestOf, type ResponseOf } from '../messaging/protocol';
import { readReply } from '../messaging/client';
import type { DetectedPage } from '../detect';
import type { ConnectMessage, FrameLayout, FrameToHost, HostToFrame, RelayedChannel } from './link-protocol';

/**
 * The overlay frame's end of the private line (./link-protocol.ts): it takes the first port its
 * parent hands over with the secret from its own URL, and nothing else; everything that arrives
 * on it is validated again here, as any message is.
 */
export interface HostLink {
  request<C extends RelayedChannel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Calls back with each page the host shows (the latest first, if one came already); null: none. */
  onPage(listener: (page: DetectedPage | null) => void): () => void;
  setLayout(layout: FrameLayout): void;
}

const fromHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('page'), page: pageSchema.nullable() }),
  z.object({ type: z.literal('reply'), id: z.number().int(), reply: z.unknown() }),
]);

/** Waits for the host's port (the secret is the fragment the host put in this frame's URL). */
export function connectToHost(win: Window = window): Promise<HostLink> {
  const secret = win.location.hash.slice(1);
  // The secret leaves the address bar at once: nothing later can read it back.
  win.history.replaceState(null, '', win.location.pathname);
  return new Promise((resolve, reject) => {
    if (secret.length < 32) {
      reject(new Error('This page is Sidecar’s overlay: it only opens inside a PSA page.'));
      return;
    }
    const onMessage = (event: MessageEvent) => {
      const data = event.data as Partial<ConnectMessage> | null;
      if (event.source !== win.parent || data?.sidecar !== 'connect' || data.secret !== secret || !event.ports[0]) return;
      win.removeEventListener('message', onMessage);
      resolve(linkOver(event.ports[0]));
    };
    win.addEventListener('message', onMessage);
  });
}

export function linkOver(port: MessagePort): HostLink {
  let nextId = 1;
  const pending = new Map<number, (reply: unknown) => void>();
  const listeners = new Set<(page: DetectedPage | null) => void>();
  let latest: DetectedPage | null | undefined;
  port.onmessage = (event) => {
    const parsed = fromHost.safeParse(event.data as HostToFrame);
    if (!parsed.success) return;
    if (parsed.data.type === 'page') {
      const page = (parsed.data.page as DetectedPage | null);
      latest = page;
      for (const listener of listeners) listener(page);
    } else {
      pending.get(parsed.data.id)?.(parsed.data.reply);
      pending.delete(parsed.data.id);
    }
  };
  const post = (message: FrameToHost) => port.postMessage(message);
  return {
    async request(channel, payload) {
      const id = nextId++;
      const reply = await new Promise<unknown>((resolve) => {
        pending.set(id, resolve);
        post({ type: 'request', id, channel, payload });
      });
      return readReply(channel, reply);
    },
    onPage(listener) {
      listeners.add(listener);
      if (latest !== undefined) listener(latest);
      return () => listeners.delete(listener);
    },
    setLayout(layout) {
      post({ type: 'layout', layout });
    },
  };
}

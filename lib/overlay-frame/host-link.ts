import { z } from 'zod';
import { pageSchema, type RequestOf, type ResponseOf } from '../messaging/protocol';
import { readReply, request } from '../messaging/client';
import type { DetectedPage } from '../detect';
import type { ConnectMessage, FrameLayout, FrameToHost, HostToFrame, RelayedChannel } from './link-protocol';

/**
 * The overlay frame's end of the private line (./link-protocol.ts): it takes the first port its
 * parent hands over with the secret the background holds for this tab, and nothing else;
 * everything that arrives on it is validated again here, as any message is.
 */
export interface HostLink {
  request<C extends RelayedChannel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Calls back with each page the host shows (the latest first, if one came already); null: none. */
  onPage(listener: (page: DetectedPage | null) => void): () => void;
  setLayout(layout: FrameLayout): void;
  /** Whether the PSA tab's window was narrow when the host last said which page it shows. */
  narrow(): boolean;
  /** Calls back each time the technician's shortcut brings focus into the frame. */
  onFocusRequest(listener: () => void): () => void;
  /** Hands focus back to the PSA page (Escape). */
  leave(): void;
}

const fromHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('page'), page: pageSchema.nullable(), narrow: z.boolean().optional() }),
  z.object({ type: z.literal('reply'), id: z.number().int(), reply: z.unknown() }),
  z.object({ type: z.literal('focus') }),
]);

/**
 * Waits for the host's port: the first one handed over with the secret this tab's content script
 * registered with the background (asked for here as this extension page's own question; the PSA
 * page can neither ask it nor hear it). Messages that come before the answer are kept and checked
 * once it is there.
 */
export function connectToHost(
  win: Window = window,
  askSecret: () => Promise<string | null> = async () => (await request('overlay.frame.secret', {})).secret,
): Promise<HostLink> {
  return new Promise((resolve, reject) => {
    const offers: MessageEvent[] = [];
    let secret: string | null | undefined;
    const consider = (event: MessageEvent) => {
      const data = event.data as Partial<ConnectMessage> | null;
      if (!secret || event.source !== win.parent || data?.sidecar !== 'connect' || data.secret !== secret || !event.ports[0]) return false;
      win.removeEventListener('message', onMessage);
      resolve(linkOver(event.ports[0]));
      return true;
    };
    const onMessage = (event: MessageEvent) => {
      if (secret === undefined) offers.push(event);
      else consider(event);
    };
    win.addEventListener('message', onMessage);
    askSecret().then(
      (answer) => {
        secret = answer;
        if (!secret) {
          win.removeEventListener('message', onMessage);
          reject(new Error('This page is Sidecar’s overlay: it only opens inside a PSA page.'));
          return;
        }
        for (const offer of offers.splice(0)) if (consider(offer)) return;
      },
      (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
    );
  });
}

export function linkOver(port: MessagePort): HostLink {
  let nextId = 1;
  const pending = new Map<number, (reply: unknown) => void>();
  const listeners = new Set<(page: DetectedPage | null) => void>();
  const focusListeners = new Set<() => void>();
  let latest: DetectedPage | null | undefined;
  let narrow = false;
  port.onmessage = (event) => {
    const parsed = fromHost.safeParse(event.data as HostToFrame);
    if (!parsed.success) return;
    if (parsed.data.type === 'focus') {
      for (const listener of focusListeners) listener();
    } else if (parsed.data.type === 'page') {
      const page = parsed.data.page as DetectedPage | null;
      latest = page;
      narrow = parsed.data.narrow ?? false;
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
    narrow: () => narrow,
    onFocusRequest(listener) {
      focusListeners.add(listener);
      return () => focusListeners.delete(listener);
    },
    leave() {
      post({ type: 'leave' });
    },
  };
}

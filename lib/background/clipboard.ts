import type { Runtime } from 'webextension-polyfill';
import { browser } from '../browser';
import { HandledError } from '../errors';
import { CLEAR_AFTER_SECONDS, ClipboardClearer, OFFSCREEN_PORT, type FromWriter, type ToWriter } from './clipboard-writer';

/**
 * The overlay's Copy: the background writes a credential's secret to the clipboard itself, so the
 * secret goes into no message to a content script or the overlay's frame (README "Trust
 * boundaries"). Chosen by what the browser offers:
 * - Chrome (MV3, a service worker without a DOM): an offscreen document (reason CLIPBOARD) that
 *   Sidecar opens for the copy; the secret reaches it over a port that document opened, whose
 *   other end is only this worker (a runtime message would go to every extension page, the
 *   overlay's frames included). It clears the clipboard after 30 s, then is closed.
 * - Firefox (MV2 background page, which has a DOM): the background page writes it itself.
 */
export interface Clipboard {
  copy(text: string): Promise<{ clearsInSeconds: number }>;
}

const WRITE_TIMEOUT_MS = 5000;

/** The parts of Chrome's API used here (the polyfill's types do not know them). */
interface ChromeOffscreen {
  offscreen: {
    createDocument(parameters: { url: string; reasons: string[]; justification: string }): Promise<void>;
    closeDocument(): Promise<void>;
  };
  runtime: {
    getContexts(filter: { contextTypes: string[] }): Promise<{ documentId?: string }[]>;
  };
}

export function createClipboard(): Clipboard {
  const chrome = (globalThis as { chrome?: Partial<ChromeOffscreen> }).chrome;
  if (typeof chrome?.offscreen?.createDocument === 'function' && typeof chrome.runtime?.getContexts === 'function') {
    return offscreenClipboard(chrome as ChromeOffscreen);
  }
  if (typeof document !== 'undefined') {
    const clearer = new ClipboardClearer();
    return {
      async copy(text) {
        await clearer.copy(text, CLEAR_AFTER_SECONDS * 1000);
        return { clearsInSeconds: CLEAR_AFTER_SECONDS };
      },
    };
  }
  return {
    copy: () =>
      Promise.reject(new HandledError('unavailable', 'This browser does not let Sidecar write the clipboard: open the credential in Sidecar instead.')),
  };
}

class Disconnected extends Error {}

function offscreenClipboard(chrome: ChromeOffscreen): Clipboard {
  const url = browser.runtime.getURL('/offscreen.html' as '/options.html');
  let port: Runtime.Port | undefined;
  /** Set while a document is being opened: the first valid port it connects with. */
  let awaiting: ((port: Runtime.Port) => void) | undefined;
  let listening = false;
  let queue: Promise<unknown> = Promise.resolve();
  let nextId = 1;
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };

  const offscreenCount = async () => (await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length;
  const ownOrigin = new URL(browser.runtime.getURL('/')).origin;

  /**
   * The line is handed only to a page of Sidecar's own origin outside any tab, asking while the
   * offscreen document just opened starts (a port's sender carries no document id to tell more:
   * every such page is Sidecar's own code, and the only one that opens this line is that document).
   */
  const onConnect = (candidate: Runtime.Port) => {
    if (candidate.name !== OFFSCREEN_PORT) return;
    const sender = candidate.sender as (Runtime.MessageSender & { origin?: string }) | undefined;
    const accept = awaiting;
    if (!accept || sender?.id !== browser.runtime.id || sender.origin !== ownOrigin || sender.tab) {
      candidate.disconnect();
      return;
    }
    awaiting = undefined;
    accept(candidate);
  };

  const close = () => chrome.offscreen.closeDocument().catch(() => undefined);

  async function open(): Promise<Runtime.Port> {
    if (port) return port;
    if (!listening) {
      browser.runtime.onConnect.addListener(onConnect);
      listening = true;
    }
    // A document left from a worker that stopped has no line to this one: it goes (a new copy replaces what it would clear).
    if (await offscreenCount()) await close();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connected = new Promise<Runtime.Port>((resolve, reject) => {
      timer = setTimeout(() => reject(new HandledError('clipboard', 'Could not copy: Sidecar’s clipboard page did not start.')), WRITE_TIMEOUT_MS);
      awaiting = (opened) => {
        clearTimeout(timer);
        resolve(opened);
      };
    });
    try {
      await chrome.offscreen.createDocument({
        url,
        reasons: ['CLIPBOARD'],
        justification: 'Copy a credential’s secret to the clipboard and clear it 30 seconds later.',
      });
      const opened = await connected;
      port = opened;
      opened.onDisconnect.addListener(() => {
        if (port === opened) port = undefined;
      });
      opened.onMessage.addListener((message: unknown) => {
        // Nothing left to clear: the document goes, unless a copy was sent to it since.
        const idle = message as FromWriter | null;
        if (idle?.type !== 'idle' || port !== opened) return;
        void serial(async () => {
          if (port !== opened || idle.lastId !== nextId - 1) return;
          port = undefined; // the next copy opens a new document rather than writing to this closing one
          await close();
        });
      });
      return opened;
    } finally {
      clearTimeout(timer);
      awaiting = undefined;
    }
  }

  function write(line: Runtime.Port, text: string): Promise<void> {
    const id = nextId++;
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        line.onMessage.removeListener(onMessage);
        line.onDisconnect.removeListener(onDisconnect);
        if (error) reject(error);
        else resolve();
      };
      const onMessage = (message: unknown) => {
        const reply = message as FromWriter | null;
        if (reply?.type !== 'written' || reply.id !== id) return;
        done(reply.ok ? undefined : new HandledError('clipboard', `Could not copy: ${reply.message}`));
      };
      const onDisconnect = () => done(new Disconnected());
      const timer = setTimeout(() => done(new HandledError('clipboard', 'Could not copy: Sidecar’s clipboard page did not answer.')), WRITE_TIMEOUT_MS);
      line.onMessage.addListener(onMessage);
      line.onDisconnect.addListener(onDisconnect);
      line.postMessage({ type: 'write', id, text, clearAfterMs: CLEAR_AFTER_SECONDS * 1000 } satisfies ToWriter);
    });
  }

  return {
    copy: (text) =>
      serial(async () => {
        for (let attempt = 1; ; attempt += 1) {
          try {
            await write(await open(), text);
            return { clearsInSeconds: CLEAR_AFTER_SECONDS };
          } catch (error) {
            // The document closed itself as the copy went out: once more with a new one.
            if (!(error instanceof Disconnected) || attempt >= 2)
              throw error instanceof Disconnected ? new HandledError('clipboard', 'Could not copy: try again.') : error;
            port = undefined;
          }
        }
      }),
  };
}

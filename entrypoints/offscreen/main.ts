import { browser } from '@/lib/browser';
import { ClipboardClearer, OFFSCREEN_PORT, type FromWriter, type ToWriter } from '@/lib/background/clipboard-writer';

/**
 * Chrome's offscreen document for the overlay's Copy (lib/background/clipboard.ts): it opens one
 * line to the background, writes what comes on it to the clipboard, clears it after the delay,
 * then says it is idle (the background closes it). Wiring only.
 */
const line = browser.runtime.connect({ name: OFFSCREEN_PORT });
let connected = true;
/** The last write asked for: an idle message names it, so the background never closes this document on a copy it sent since. */
let lastId = 0;
const send = (message: FromWriter) => {
  if (connected) line.postMessage(message);
};
const clearer = new ClipboardClearer(() => {
  // Cut off from the background (it stopped): nobody would close this document once idle.
  if (connected) send({ type: 'idle', lastId });
  else window.close();
});
line.onDisconnect.addListener(() => {
  connected = false;
  if (clearer.idle) window.close();
});
line.onMessage.addListener((raw: unknown) => {
  const message = raw as Partial<ToWriter> | null;
  if (message?.type !== 'write' || typeof message.id !== 'number' || typeof message.text !== 'string' || typeof message.clearAfterMs !== 'number') return;
  const { id } = message;
  lastId = id;
  clearer.copy(message.text, message.clearAfterMs).then(
    () => send({ type: 'written', id, ok: true }),
    (error: unknown) => send({ type: 'written', id, ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
});

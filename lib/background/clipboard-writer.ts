/**
 * Writing the clipboard from a document Sidecar's background owns: Chrome's offscreen document
 * (entrypoints/offscreen) or Firefox's background page. A copied secret is cleared after
 * CLEAR_AFTER_SECONDS: if the clipboard can be read and holds something else by then (the person
 * copied something since), it is left alone; if it cannot be read (Chrome's offscreen document has
 * no focus and Sidecar does not ask for `clipboardRead`), an empty text is written anyway.
 */

export const CLEAR_AFTER_SECONDS = 30;

/** The line between the background and its offscreen document (a port the document opens). */
export const OFFSCREEN_PORT = 'sidecar-clipboard';
export type ToWriter = { type: 'write'; id: number; text: string; clearAfterMs: number };
export type FromWriter =
  { type: 'written'; id: number; ok: true } | { type: 'written'; id: number; ok: false; message: string } | { type: 'idle'; lastId: number };

/** Puts exactly `text` on the clipboard (an empty one too) through a copy event: no selection, no focus needed. */
function copyByEvent(doc: Document, text: string): boolean {
  let written = false;
  const onCopy = (event: ClipboardEvent) => {
    if (!event.clipboardData) return;
    event.clipboardData.setData('text/plain', text);
    event.preventDefault();
    written = true;
  };
  doc.addEventListener('copy', onCopy, true);
  try {
    doc.execCommand('copy');
  } finally {
    doc.removeEventListener('copy', onCopy, true);
  }
  return written;
}

export async function writeClipboard(text: string, doc?: Document): Promise<void> {
  // The async API first (Firefox's background page); a document without focus (Chrome's offscreen one) refuses it.
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // below
  }
  if (!copyByEvent(doc ?? document, text)) throw new Error('The browser did not let Sidecar write the clipboard.');
}

/** What the clipboard holds, or undefined when this document may not read it. */
async function readClipboard(): Promise<string | undefined> {
  try {
    return await navigator.clipboard.readText();
  } catch {
    return undefined;
  }
}

/** SHA-256 of a text: what is kept of a copied secret until it is cleared, to compare with the clipboard. */
async function digestOf(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Copies, then clears after a while; a new copy replaces the pending clear (the clipboard holds the new one). */
export class ClipboardClearer {
  private pending: { timer: ReturnType<typeof setTimeout>; digest: string } | undefined;

  /** `onIdle`: no clear is pending any more (the offscreen document may then close). */
  constructor(private readonly onIdle: () => void = () => {}) {}

  get idle(): boolean {
    return !this.pending;
  }

  async copy(text: string, clearAfterMs: number): Promise<void> {
    await writeClipboard(text);
    if (this.pending) clearTimeout(this.pending.timer);
    const digest = await digestOf(text);
    const timer = setTimeout(() => void this.clear(digest), clearAfterMs);
    this.pending = { timer, digest };
  }

  private async clear(digest: string): Promise<void> {
    if (this.pending?.digest !== digest) return;
    try {
      const now = await readClipboard();
      if (now === undefined || (await digestOf(now)) === digest) await writeClipboard('');
    } catch (error) {
      console.warn('Sidecar could not clear the clipboard', error);
    } finally {
      if (this.pending?.digest === digest) {
        this.pending = undefined;
        this.onIdle();
      }
    }
  }
}

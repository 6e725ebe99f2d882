import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { browser } from '../browser';
import type { DetectedPage } from '../detect';
import { send, sendRaw } from '../messaging/loader-client';
import {
  OVERLAY_FRAME_FILE,
  RELAYED_CHANNELS,
  type ConnectMessage,
  type FrameLayout,
  type FrameToHost,
  type HostToFrame,
  FOCUS_SHORTCUT,
  NARROW_WINDOW_PX,
} from '../overlay-frame/link-protocol';
import type { OverlayApi } from './overlay-api';
import type { Prefetch } from './prefetch';

/**
 * The overlay's host in the PSA page: a CLOSED shadow root holding one iframe, Sidecar's own
 * extension page (entrypoints/overlay-frame), where the overlay is drawn. The page's scripts
 * cannot reach into the root, and the frame is another origin: its text cannot be read, found
 * (window.find), selected or typed into from the page's world. The host relays the frame's
 * questions to the background as this content script (the background knows the tab and the
 * page's origin from that), and sizes the iframe as the frame asks.
 */

const FRAME_CSS = `
:host { all: initial !important; }
iframe { position: fixed; z-index: 2147483646; border: 0; margin: 0; padding: 0; background: transparent; color-scheme: normal; display: block; }
iframe.sc-hidden { visibility: hidden; }
iframe.sc-off { display: none; }
`;

/** 48 hex digits, as the background's `overlay.frame.register` expects. */
const randomSecret = () => Array.from(crypto.getRandomValues(new Uint8Array(24)), (byte) => byte.toString(16).padStart(2, '0')).join('');

/** The iframe's box for a layout: the full-height panel, or the small tab when collapsed. */
function placeFrame(frame: HTMLIFrameElement, layout: FrameLayout) {
  const side = layout.dock === 'left' ? 'left' : 'right';
  const other = side === 'left' ? 'right' : 'left';
  frame.style.setProperty(side, '0');
  frame.style.setProperty(other, 'auto');
  if (layout.collapsed) {
    frame.style.top = '40%';
    frame.style.width = '32px';
    frame.style.height = '96px';
  } else {
    frame.style.top = '0';
    frame.style.width = `${layout.width}px`;
    frame.style.height = '100vh';
  }
  frame.classList.remove('sc-hidden');
}

/**
 * Push mode: the PSA page's root gets a margin the panel's width on its side, so the page reflows
 * beside the panel instead of under it. The page's own inline margin is kept and put back.
 * (Elements the page fixes to the viewport do not move: they are laid out against the window.)
 */
function pagePusher() {
  const root = document.documentElement;
  let pushed: { side: 'margin-left' | 'margin-right'; before: string; priority: string } | undefined;
  const release = () => {
    if (!pushed) return;
    if (pushed.before) root.style.setProperty(pushed.side, pushed.before, pushed.priority);
    else root.style.removeProperty(pushed.side);
    pushed = undefined;
  };
  return (layout: FrameLayout | undefined) => {
    const side = layout?.dock === 'left' ? 'margin-left' : 'margin-right';
    if (!layout || layout.collapsed || !layout.push) return release();
    if (pushed && pushed.side !== side) release();
    pushed ??= { side, before: root.style.getPropertyValue(side), priority: root.style.getPropertyPriority(side) };
    root.style.setProperty(side, `${layout.width}px`, 'important');
  };
}

const isNarrow = () => window.innerWidth < NARROW_WINDOW_PX;

export async function createOverlay(ctx: ContentScriptContext): Promise<OverlayApi> {
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;
  let prefetch: Prefetch | undefined;
  let shown: DetectedPage | undefined;
  let layout: FrameLayout | undefined;
  let container: HTMLElement | undefined;
  let current: { frame: HTMLIFrameElement; port: MessagePort } | undefined;
  // Where the technician was on the PSA page when the shortcut took them into the overlay.
  let returnFocusTo: Element | null = null;

  const post = (message: HostToFrame) => current?.port.postMessage(message);
  const push = pagePusher();
  ctx.onInvalidated(() => push(undefined));

  /**
   * A fresh frame and line, with a secret the background will give only to an extension page in
   * this tab. Our frame loads once: a second load means the page navigated it (to an address of
   * its choosing), so that frame is dropped and a new one made.
   */
  async function buildFrame(): Promise<void> {
    const secret = randomSecret();
    await send('overlay.frame.register', { secret });
    const line = new MessageChannel();
    const frame = document.createElement('iframe');
    frame.className = 'sc-hidden';
    frame.title = 'Sidecar';
    frame.setAttribute('allow', 'clipboard-write');
    frame.src = browser.runtime.getURL(OVERLAY_FRAME_FILE as '/overlay-frame.html');
    let loads = 0;
    frame.addEventListener('load', () => {
      loads += 1;
      if (loads > 1) {
        line.port1.close();
        frame.remove();
        if (current?.frame === frame) current = undefined;
        void buildFrame();
        return;
      }
      // Only our own page at that address can take the port.
      const hello: ConnectMessage = { sidecar: 'connect', secret };
      frame.contentWindow?.postMessage(hello, extensionOrigin, [line.port2]);
      post({ type: 'page', page: shown ?? null, narrow: isNarrow() });
    });
    line.port1.onmessage = (event) => {
      const message = event.data as FrameToHost;
      if (message?.type === 'layout') {
        layout = message.layout;
        placeFrame(frame, message.layout);
        if (shown) push(message.layout);
      } else if (message?.type === 'leave') {
        frame.blur();
        const back = returnFocusTo;
        returnFocusTo = null;
        if (back instanceof HTMLElement && back.isConnected) back.focus();
        else window.focus();
      } else if (message?.type === 'request' && (RELAYED_CHANNELS as readonly string[]).includes(message.channel)) {
        void relay(message).then((reply) => line.port1.postMessage({ type: 'reply', id: message.id, reply } satisfies HostToFrame));
      }
    };
    if (layout) placeFrame(frame, layout);
    if (!shown) frame.classList.add('sc-off');
    current = { frame, port: line.port1 };
    container?.append(frame);
  }

  /** The frame's question, asked by this content script; a record's first answer may already be on its way (prefetch). */
  async function relay(message: Extract<FrameToHost, { type: 'request' }>): Promise<unknown> {
    try {
      if (message.channel === 'overlay.forPage') {
        const page = (message.payload as { page?: DetectedPage } | null)?.page;
        const early = page ? prefetch?.take(page)?.catch(() => undefined) : undefined;
        const answer = (await early) as { ok?: boolean; data?: { state?: string } } | undefined;
        // Asked before the DOM gave the ticket's names: unless it is ready, ask again with them.
        if (answer?.ok !== undefined && (answer.data?.state === 'ready' || !page?.hints)) return answer;
      }
      return await sendRaw(message.channel, message.payload as never);
    } catch (error) {
      return { ok: false, error: { code: 'unreachable', message: error instanceof Error ? error.message : 'Sidecar’s background did not answer.' } };
    }
  }

  /** The shortcut into the overlay: a real key press only (the page's scripts can dispatch fake ones). */
  function onShortcut(event: KeyboardEvent) {
    if (!event.isTrusted || !shown || !current) return;
    if (event.altKey !== FOCUS_SHORTCUT.altKey || event.shiftKey !== FOCUS_SHORTCUT.shiftKey || event.code !== FOCUS_SHORTCUT.code) return;
    if (event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    event.stopPropagation();
    returnFocusTo = document.activeElement;
    current.frame.focus();
    post({ type: 'focus' });
  }
  ctx.addEventListener(window, 'keydown', onShortcut, { capture: true });

  await buildFrame();
  const ui = await createShadowRootUi(ctx, {
    name: 'sidecar-overlay',
    mode: 'closed',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    css: FRAME_CSS,
    onMount(root) {
      container = root;
      if (current) root.append(current.frame);
      return root;
    },
  });
  // Mounted as soon as the PSA page has a body (the frame then loads while the page does), and
  // kept: moving an iframe reloads it. (Under the root element before the body exists, Firefox
  // never loads the frame.)
  const mountOnBody = () => {
    if (!ui.mounted && document.body) ui.mount();
    return !!ui.mounted;
  };
  if (!mountOnBody()) {
    const watcher = new MutationObserver(() => mountOnBody() && watcher.disconnect());
    watcher.observe(document.documentElement, { childList: true });
  }
  return {
    show(page: DetectedPage, early?: Prefetch) {
      if (early) prefetch = early;
      shown = page;
      mountOnBody();
      current?.frame.classList.remove('sc-off');
      push(layout);
      post({ type: 'page', page, narrow: isNarrow() });
    },
    hide() {
      shown = undefined;
      current?.frame.classList.add('sc-off');
      push(undefined);
      post({ type: 'page', page: null, narrow: isNarrow() });
    },
  };
}

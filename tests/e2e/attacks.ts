import type { Page as PlaywrightPage } from '@playwright/test';

/** A page to evaluate in, in its own main world: Playwright's (Chromium) or puppeteer's (Firefox). */
type Page = { evaluate: unknown };
/** Both libraries take `evaluate(fn, arg)` alike; only their types differ. */
const inPage = <A, R>(page: Page, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> =>
  (page.evaluate as (this: Page, fn: (arg: A) => R | Promise<R>, arg: A) => Promise<R>).call(page, fn, arg);

/**
 * What a hostile script in the PSA page's own world (an XSS in the PSA, a plugin, a ticket's
 * content) tries against Sidecar. Everything here runs through `page.evaluate` /
 * `page.addInitScript`, i.e. in the page's main world with no more power than such a script has.
 */

/**
 * Before the page's own scripts run: a spy that hooks `attachShadow` to force roots open and keep
 * them, as a script could that loads first. Sidecar's content script calls attachShadow in its own
 * isolated world, whose prototypes the page cannot touch.
 */
export async function installShadowSpy(page: PlaywrightPage): Promise<void> {
  await page.addInitScript(() => {
    const captured: ShadowRoot[] = [];
    (window as unknown as { __spiedRoots: ShadowRoot[] }).__spiedRoots = captured;
    const original = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init: ShadowRootInit) {
      const root = original.call(this, { ...init, mode: 'open' });
      captured.push(root);
      return root;
    };
  });
}

/**
 * Everything the page's world can read that might carry the overlay's content: the document's
 * text and markup (with serialisable shadow roots), every open shadow root, the roots the spy
 * caught, a select-all selection, the performance timeline's entries, `window.find` answers for
 * the given words, and the overlay host's own properties.
 */
export async function pageWorldReadout(page: Page, probeWords: string[]): Promise<{ text: string; found: string[]; hostShadowRoot: string }> {
  return inPage(
    page,
    (words: string[]) => {
      const parts: string[] = [];
      const host = document.querySelector('sidecar-overlay');
      const hostShadowRoot = host ? String(host.shadowRoot) : 'no host';
      parts.push(document.documentElement.outerHTML, document.documentElement.textContent ?? '', document.body.innerText);
      const withRoots = document.body as unknown as { getHTML?: (options: object) => string };
      if (withRoots.getHTML) parts.push(withRoots.getHTML({ serializableShadowRoots: true }));
      for (const element of Array.from(document.querySelectorAll('*'))) {
        if (element.shadowRoot) parts.push(element.shadowRoot.innerHTML);
      }
      for (const root of (window as unknown as { __spiedRoots?: ShadowRoot[] }).__spiedRoots ?? []) parts.push(root.innerHTML);
      if (host) {
        parts.push(host.outerHTML, (host as HTMLElement).innerText ?? '', host.textContent ?? '', JSON.stringify(host.getBoundingClientRect()));
        for (const attribute of Array.from(host.attributes)) parts.push(`${attribute.name}=${attribute.value}`);
      }
      const selection = getSelection();
      selection?.removeAllRanges();
      document.execCommand('selectAll');
      parts.push(selection?.toString() ?? '');
      const range = document.createRange();
      range.selectNodeContents(document.documentElement);
      parts.push(range.toString());
      selection?.removeAllRanges();
      parts.push(JSON.stringify(performance.getEntries().map((entry) => entry.name)));
      const find = (window as unknown as { find?: (text: string) => boolean }).find;
      const found = find ? words.filter((word) => find.call(window, word)) : [];
      selection?.removeAllRanges();
      return { text: parts.join('\n'), found, hostShadowRoot };
    },
    probeWords,
  );
}

/**
 * Every way a page script can try to press an overlay button at `point` (where it is drawn):
 * reaching into the root, clicking the host, synthetic pointer, mouse and key events at that
 * place, focus moved onto the host, and Sidecar-shaped postMessage / CustomEvent traffic.
 */
export async function scriptedPresses(page: Page, point: { x: number; y: number }, testId: string, companyRemoteId: string): Promise<void> {
  await inPage(
    page,
    ({ point, testId, companyRemoteId }: { point: { x: number; y: number }; testId: string; companyRemoteId: string }) => {
      const host = document.querySelector('sidecar-overlay') as HTMLElement | null;
      (host?.shadowRoot?.querySelector(`[data-testid="${testId}"]`) as HTMLElement | null)?.click();
      host?.click();
      const target = document.elementFromPoint(point.x, point.y) ?? document.body;
      const init = { bubbles: true, composed: true, cancelable: true, clientX: point.x, clientY: point.y, view: window, button: 0 };
      for (const type of ['pointerover', 'pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {
        target.dispatchEvent(
          type.startsWith('pointer') ? new PointerEvent(type, { ...init, pointerType: 'mouse', isPrimary: true }) : new MouseEvent(type, init),
        );
      }
      (target as HTMLElement).click?.();
      if (host) {
        host.tabIndex = 0;
        host.focus();
      }
      for (const key of ['Enter', ' ']) {
        for (const type of ['keydown', 'keypress', 'keyup']) {
          (document.activeElement ?? document.body).dispatchEvent(
            new KeyboardEvent(type, { key, code: key === ' ' ? 'Space' : 'Enter', bubbles: true, composed: true, cancelable: true }),
          );
        }
      }
      const message = { channel: testId === 'sidecar-match' ? 'overlay.match' : 'overlay.refresh', payload: { companyRemoteId } };
      window.postMessage(message, '*');
      window.dispatchEvent(new CustomEvent('sidecar', { detail: message }));
      document.dispatchEvent(new CustomEvent(message.channel, { detail: message.payload }));
    },
    { point, testId, companyRemoteId },
  );
}

/** The page navigates itself through `urls` for `ms` milliseconds: pushState, with hash changes and popstate events between. */
export async function navigationFlood(page: Page, urls: string[], ms: number): Promise<number> {
  return inPage(
    page,
    async ({ urls, ms }: { urls: string[]; ms: number }) => {
      const until = performance.now() + ms;
      let count = 0;
      while (performance.now() < until) {
        const url = urls[count % urls.length]!;
        if (count % 2) location.hash = `flood-${count}`;
        history.pushState({}, '', url);
        window.dispatchEvent(new PopStateEvent('popstate'));
        count += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return count;
    },
    { urls, ms },
  );
}

/**
 * A page script that wants a credential copied (so it can read the clipboard, or just to make
 * Sidecar act): Sidecar-shaped postMessage and CustomEvent traffic, the extension's runtime asked
 * directly (a web page has no `chrome.runtime` for an extension without externally_connectable,
 * and the router classifies such a sender as no one), and the overlay protocol's own "request"
 * offered to every frame the page can reach. Says what each attempt met.
 */
export function forgedCopyRequests(page: Page, extensionId: string, companyRemoteId: string, credentialId: string): Promise<string[]> {
  return forgedRequests(page, extensionId, 'overlay.credential.copy', { companyRemoteId, credentialId });
}

/** The same forgeries for any channel (#16: a ticket, a billing run): what each attempt met. */
export async function forgedRequests(page: Page, extensionId: string, channel: string, payload: unknown): Promise<string[]> {
  return inPage(
    page,
    async ({ extensionId, channel, payload }: { extensionId: string; channel: string; payload: unknown }) => {
      const met: string[] = [];
      const envelope = { channel, payload };
      window.postMessage(envelope, '*');
      window.dispatchEvent(new CustomEvent('sidecar', { detail: envelope }));
      document.dispatchEvent(new CustomEvent(channel, { detail: payload }));
      const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: (...args: unknown[]) => Promise<unknown> } } }).chrome?.runtime;
      if (typeof runtime?.sendMessage === 'function') {
        try {
          met.push(`runtime answered ${JSON.stringify(await runtime.sendMessage(extensionId, envelope))}`);
        } catch (error) {
          met.push(`runtime refused: ${String(error)}`);
        }
      } else {
        met.push('no chrome.runtime in the page');
      }
      // The frame protocol's request, on a line of the page's own making, to every frame it can reach.
      for (let index = 0; index < window.frames.length; index += 1) {
        const line = new MessageChannel();
        line.port1.onmessage = (event) => met.push(`frame answered ${JSON.stringify(event.data)}`);
        window.frames[index]!.postMessage({ sidecar: 'connect', secret: 'a'.repeat(48) }, '*', [line.port2]);
        line.port1.postMessage({ type: 'request', id: 1, channel, payload });
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return met;
    },
    { extensionId, channel, payload },
  );
}

import { describe, expect, it } from 'vitest';
import { classifySender } from '@/lib/messaging/sender';

/**
 * Senders as Firefox ESR 153 stamps them (recorded from the Firefox e2e run: MV2 build, background
 * page at moz-extension://<uuid>). Firefox gives `origin` for content scripts and extension pages
 * alike, plus fields of its own (envType, contextId, documentId) that the classification ignores.
 */
const self = { id: 'sidecar@sidecar.invalid', origin: 'moz-extension://db7d8ce9-87f6-47a6-8b58-bbbcb3c138ad' };
const tab = { id: 3, index: 2, windowId: 1, url: 'http://127.0.0.1:45409/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=200001' };
const contentScript = {
  contextId: 1099511627777,
  id: 'sidecar@sidecar.invalid',
  envType: 'content_child',
  url: 'http://127.0.0.1:45409/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=200001',
  tab,
  frameId: 0,
  documentId: '37864b17-008d-6e57-d04d-85f29bed5c3f',
  origin: 'http://127.0.0.1:45409',
};
const optionsPage = {
  contextId: 412316860643,
  id: 'sidecar@sidecar.invalid',
  envType: 'addon_child',
  url: 'moz-extension://db7d8ce9-87f6-47a6-8b58-bbbcb3c138ad/options.html',
  tab: { id: 2, index: 1, windowId: 1 },
  frameId: 0,
  origin: 'moz-extension://db7d8ce9-87f6-47a6-8b58-bbbcb3c138ad',
};

describe('classifySender with Firefox senders', () => {
  it('recognises the options page in a tab and a top-frame content script by the stamped origin', () => {
    expect(classifySender(optionsPage, self).kind).toBe('extension-page');
    expect(classifySender(contentScript, self)).toEqual({ kind: 'content-script', pageOrigin: 'http://127.0.0.1:45409', tabId: 3 });
  });

  it('never by url, and refuses what it cannot place', () => {
    // A content script whose page claims an extension URL is still its page's origin.
    expect(classifySender({ ...contentScript, url: optionsPage.url }, self)).toEqual({
      kind: 'content-script',
      pageOrigin: 'http://127.0.0.1:45409',
      tabId: 3,
    });
    // Without a stamped origin, a sender in a tab is not placed by its url.
    expect(classifySender({ ...contentScript, origin: undefined }, self).kind).toBe('untrusted');
    expect(classifySender({ ...optionsPage, origin: undefined }, self).kind).toBe('untrusted');
    // Opaque (sandboxed) pages, subframes, another add-on, another add-on's pages.
    expect(classifySender({ ...contentScript, origin: 'null' }, self).kind).toBe('untrusted');
    expect(classifySender({ ...contentScript, frameId: 5 }, self).kind).toBe('untrusted');
    expect(classifySender({ ...contentScript, id: 'other@example.com' }, self).kind).toBe('untrusted');
    expect(classifySender({ ...optionsPage, origin: 'moz-extension://0000aaaa-0000-4000-8000-000000000000' }, self).kind).toBe('untrusted');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { HandledError } from '@/lib/errors';
import { createRouter, type Handlers } from '@/lib/messaging/router';
import { classifySender } from '@/lib/messaging/sender';
import { channels } from '@/lib/messaging/protocol';

const self = { id: 'sidecar-id', origin: 'chrome-extension://sidecar-id' };
const extensionPage = { id: 'sidecar-id', origin: 'chrome-extension://sidecar-id', url: 'chrome-extension://sidecar-id/options.html' };
const contentScript = { id: 'sidecar-id', origin: 'https://na.myconnectwise.net', tab: { id: 7 }, frameId: 0, url: 'https://na.myconnectwise.net/x' };

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const fail = () => Promise.reject(new Error('not under test'));
  return {
    'integration.save': fail,
    'integration.test': fail,
    'integration.remove': fail,
    'sync.start': fail,
    'match.apply': fail,
    'layouts.save': fail,
    'integration.locations': fail,
    'rules.save': fail,
    'integration.syncOptions': fail,
    'records.restore': fail,
    'setup.import': fail,
    'schedule.save': fail,
    'author.save': fail,
    'sync.company': fail,
    'overlay.refresh': fail,
    'overlay.context': fail,
    'overlay.forPage': fail,
    ...overrides,
  } as Handlers;
}

describe('classifySender', () => {
  it('recognises extension pages, top-frame content scripts and nothing else', () => {
    expect(classifySender(extensionPage, self).kind).toBe('extension-page');
    expect(classifySender({ id: 'sidecar-id' }, self).kind).toBe('extension-page'); // popup without origin (Firefox < 126)
    // The overlay's frame: an extension page inside a PSA tab, known by that tab (never by url).
    expect(classifySender({ ...extensionPage, tab: { id: 7 }, frameId: 3, url: 'https://evil.example/' }, self)).toEqual({ kind: 'extension-page', tabId: 7 });
    expect(classifySender(contentScript, self)).toEqual({ kind: 'content-script', pageOrigin: 'https://na.myconnectwise.net', tabId: 7 });
    expect(classifySender({ ...contentScript, frameId: 3 }, self).kind).toBe('untrusted');
    expect(classifySender({ ...extensionPage, id: 'other-extension' }, self).kind).toBe('untrusted');
    expect(classifySender({ id: 'sidecar-id', origin: 'chrome-extension://sidecar-id.evil.com', tab: { id: 1 }, frameId: 0 }, self).kind).toBe('untrusted');
    expect(classifySender({ id: 'sidecar-id', origin: 'file://', tab: { id: 1 }, frameId: 0 }, self).kind).toBe('untrusted');
    // A url that claims to be the extension proves nothing.
    expect(classifySender({ id: 'sidecar-id', url: 'chrome-extension://sidecar-id/options.html', tab: { id: 1 }, frameId: 0 }, self).kind).toBe('untrusted');
  });
});

describe('who may ask what', () => {
  it('a content script reaches only the overlay channels; credentials, the vault and every write stay with extension pages', async () => {
    const forContentScripts = Object.entries(channels)
      .filter(([, channel]) => (channel.allowed as readonly string[]).includes('content-script'))
      .map(([name]) => name)
      .sort();
    expect(forContentScripts).toEqual([
      'overlay.context',
      'overlay.credential.copy',
      'overlay.field.save',
      'overlay.forPage',
      'overlay.frame.register',
      'overlay.left',
      'overlay.match',
      'overlay.note.save',
      'overlay.openOptions',
      'overlay.openSpace',
      'overlay.refresh',
      'overlay.ticket.create',
      'overlay.ticket.form',
      'overlay.ticket.preview',
    ]);
    const called = vi.fn();
    const all = Object.fromEntries(Object.keys(channels).map((name) => [name, called])) as unknown as Handlers;
    const route = createRouter(all, () => self);
    for (const name of Object.keys(channels).filter((name) => !forContentScripts.includes(name))) {
      expect(await route({ channel: name, payload: {} }, contentScript), name).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // A page (not the extension) is no one, whatever channel it names.
    const page = { id: undefined, origin: 'https://na.myconnectwise.net', tab: { id: 7 }, frameId: 0, url: 'https://na.myconnectwise.net/x' };
    for (const name of Object.keys(channels)) expect(await route({ channel: name, payload: {} }, page as never)).toMatchObject({ ok: false });
    expect(called).not.toHaveBeenCalled();
  });
});

describe('createRouter', () => {
  it('refuses a content script asking for a privileged channel, without running the handler', async () => {
    const save = vi.fn();
    const route = createRouter(handlers({ 'integration.save': save }), () => self);
    const reply = await route({ channel: 'integration.save', payload: { psa: 'connectwise', form: {} } }, contentScript);
    expect(reply).toEqual({ ok: false, error: { code: 'forbidden', message: 'This context may not use integration.save.' } });
    expect(save).not.toHaveBeenCalled();
  });

  it('refuses unknown channels and malformed payloads', async () => {
    const route = createRouter(handlers(), () => self);
    expect(await route({ channel: 'secrets.dump', payload: {} }, extensionPage)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await route('hello', extensionPage)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await route({ channel: 'toString', payload: {} }, extensionPage)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    const bad = await route({ channel: 'overlay.forPage', payload: { page: { psa: 'connectwise', kind: 'nope' } } }, contentScript);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('passes the browser-stamped page origin to content-script handlers and validates the reply', async () => {
    const forPage = vi.fn(async (_request: unknown, sender: { pageOrigin?: string }) => ({
      state: 'not-configured' as const,
      message: sender.pageOrigin ?? '',
    }));
    const route = createRouter(handlers({ 'overlay.forPage': forPage as Handlers['overlay.forPage'] }), () => self);
    const reply = await route({ channel: 'overlay.forPage', payload: { page: { psa: 'connectwise', kind: 'ticket', id: '5' } } }, contentScript);
    expect(reply).toEqual({ ok: true, data: { state: 'not-configured', message: 'https://na.myconnectwise.net' } });
  });

  it('turns handler failures into codes with per-field messages', async () => {
    const route = createRouter(
      handlers({ 'integration.test': () => Promise.reject(new HandledError('invalid', 'Check the fields.', { domain: 'Bad domain' })) }),
      () => self,
    );
    expect(await route({ channel: 'integration.test', payload: { integrationId: 'x' } }, extensionPage)).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'Check the fields.', fields: { domain: 'Bad domain' } },
    });
  });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channels } from '@/lib/messaging/protocol';
import { createRouter, type Handlers } from '@/lib/messaging/router';
import type { SenderFacts } from '@/lib/messaging/sender';
import { VALID_FORMS } from '../../support/bad-input.ts';

/**
 * Issue #6, bad input: a malformed message. Every case names the message a user reads and the field it is
 * shown at; where a write is involved, nothing is half-saved (the stored tables are compared
 * before and after; fixtures in tests/support/bad-input.ts).
 */

describe('messages: refused with a code and a specific reason, the handler never runs', () => {
  const self = { id: 'sidecar-id', origin: 'chrome-extension://sidecar-id' };
  const extensionPage: SenderFacts = { id: 'sidecar-id', origin: 'chrome-extension://sidecar-id', url: 'chrome-extension://sidecar-id/options.html' };
  const contentScript: SenderFacts = {
    id: 'sidecar-id',
    origin: 'https://na.myconnectwise.net',
    tab: { id: 7 },
    frameId: 0,
    url: 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx',
  };
  const subFrame: SenderFacts = { ...contentScript, frameId: 3 };
  const otherExtension: SenderFacts = { id: 'another-extension', origin: 'chrome-extension://another-extension' };
  const webPage: SenderFacts = { origin: 'https://evil.example.com', tab: { id: 9 }, frameId: 0, url: 'https://evil.example.com/' };

  let called: ReturnType<typeof vi.fn>;
  let route: ReturnType<typeof createRouter>;
  beforeEach(() => {
    called = vi.fn(async () => {
      throw new Error('the handler ran');
    });
    route = createRouter(Object.fromEntries(Object.keys(channels).map((name) => [name, called])) as unknown as Handlers, () => self);
  });

  const many = <T>(count: number, item: T) => Array.from({ length: count }, () => item);
  const UNKNOWN = /^Unknown message\.$/;
  it.each<[string, () => unknown, SenderFacts, string, RegExp]>([
    ['a string instead of an envelope', () => 'integration.save', extensionPage, 'unknown-channel', UNKNOWN],
    ['null', () => null, extensionPage, 'unknown-channel', UNKNOWN],
    ['a list', () => [{ channel: 'vault.status', payload: {} }], extensionPage, 'unknown-channel', UNKNOWN],
    ['an envelope without a payload', () => ({ channel: 'vault.status' }), extensionPage, 'unknown-channel', UNKNOWN],
    ['a channel that is a number', () => ({ channel: 42, payload: {} }), extensionPage, 'unknown-channel', UNKNOWN],
    ['a channel name over 100 characters', () => ({ channel: `vault.status${' '.repeat(100)}`, payload: {} }), extensionPage, 'unknown-channel', UNKNOWN],
    ['a channel that does not exist', () => ({ channel: 'secrets.dump', payload: {} }), extensionPage, 'unknown-channel', UNKNOWN],
    ['a prototype property as channel', () => ({ channel: '__proto__', payload: {} }), extensionPage, 'unknown-channel', UNKNOWN],
    [
      'an id of the wrong type',
      () => ({ channel: 'integration.test', payload: { integrationId: 42 } }),
      extensionPage,
      'invalid-request',
      /^Invalid integration\.test request: Invalid input: expected string, received number\.$/,
    ],
    [
      'an empty id',
      () => ({ channel: 'integration.remove', payload: { integrationId: '' } }),
      extensionPage,
      'invalid-request',
      /^Invalid integration\.remove request: Too small: expected string to have >=1 characters\.$/,
    ],
    [
      'an id over 100 characters',
      () => ({ channel: 'integration.test', payload: { integrationId: 'i'.repeat(101) } }),
      extensionPage,
      'invalid-request',
      /Too big: expected string to have <=100 characters/,
    ],
    [
      'a payload that is a string',
      () => ({ channel: 'sync.start', payload: 'all' }),
      extensionPage,
      'invalid-request',
      /^Invalid sync\.start request: Invalid input: expected object, received string\.$/,
    ],
    [
      'a form value that is not text',
      () => ({ channel: 'integration.save', payload: { psa: 'connectwise', form: { ...VALID_FORMS.connectwise, companyId: 123 } } }),
      extensionPage,
      'invalid-request',
      /expected string, received number/,
    ],
    [
      'a form with 21 fields',
      () => ({
        channel: 'integration.save',
        payload: { psa: 'connectwise', form: Object.fromEntries(Array.from({ length: 21 }, (_, index) => [`field${index}`, 'x'])) },
      }),
      extensionPage,
      'invalid-request',
      /Too many fields/,
    ],
    [
      'a PSA this version does not have',
      () => ({ channel: 'integration.save', payload: { psa: 'autotask', form: {} } }),
      extensionPage,
      'invalid-request',
      /expected one of "connectwise"\|"halo"\|"kaseya-bms"/,
    ],
    [
      '10,001 match decisions',
      () => ({ channel: 'match.apply', payload: { integrationId: 'cw', decisions: many(10_001, { companyRemoteId: '1', action: 'unmatched' }) } }),
      extensionPage,
      'invalid-request',
      /Too big: expected array to have <=10000 items/,
    ],
    [
      'no match decisions',
      () => ({ channel: 'match.apply', payload: { integrationId: 'cw', decisions: [] } }),
      extensionPage,
      'invalid-request',
      /Too small: expected array to have >=1 items/,
    ],
    [
      'a match decision of an unknown kind',
      () => ({ channel: 'match.apply', payload: { integrationId: 'cw', decisions: [{ companyRemoteId: '1', action: 'merge' }] } }),
      extensionPage,
      'invalid-request',
      /^Invalid match\.apply request: /,
    ],
    [
      '501 sort rules',
      () => ({ channel: 'rules.save', payload: { integrationId: 'cw', rules: many(501, { typeName: 'Firewall', layoutId: 'layout-configurations' }) } }),
      extensionPage,
      'invalid-request',
      /Too big: expected array to have <=500 items/,
    ],
    [
      '2,001 connected fields',
      () => ({ channel: 'fields.connect', payload: { integrationId: 'cw', connections: many(2001, { layoutId: 'l', fieldId: 'f', source: 's' }) } }),
      extensionPage,
      'invalid-request',
      /Too big: expected array to have <=2000 items/,
    ],
    [
      'a layout name over 200 characters',
      () => ({ channel: 'layouts.save', payload: { layout: { name: 'L'.repeat(201), active: true, fields: [] } } }),
      extensionPage,
      'invalid-request',
      /Too big: expected string to have <=200 characters/,
    ],
    [
      'a layout with 101 fields',
      () => ({ channel: 'layouts.save', payload: { layout: { name: 'Gear', active: true, fields: many(101, { name: 'f' }) } } }),
      extensionPage,
      'invalid-request',
      /Too big: expected array to have <=100 items/,
    ],
    [
      'a sync interval of 0 hours',
      () => ({ channel: 'schedule.save', payload: { intervalHours: 0, quiet: null } }),
      extensionPage,
      'invalid-request',
      /Too small: expected number to be >=1/,
    ],
    [
      'a sync interval of 1.5 hours',
      () => ({ channel: 'schedule.save', payload: { intervalHours: 1.5, quiet: null } }),
      extensionPage,
      'invalid-request',
      /expected int, received number/,
    ],
    [
      'a quiet window from hour 24',
      () => ({ channel: 'schedule.save', payload: { intervalHours: 3, quiet: { fromHour: 24, toHour: 6 } } }),
      extensionPage,
      'invalid-request',
      /Too big: expected number to be <=23/,
    ],
    [
      'a page record id over 64 characters',
      () => ({ channel: 'overlay.forPage', payload: { page: { psa: 'connectwise', kind: 'ticket', id: '9'.repeat(65) } } }),
      contentScript,
      'invalid-request',
      /^Invalid overlay\.forPage request: Too big: expected string to have <=64 characters\.$/,
    ],
    [
      'a company name hint over 200 characters',
      () => ({ channel: 'overlay.forPage', payload: { page: { psa: 'connectwise', kind: 'ticket', hints: { companyName: 'C'.repeat(201) } } } }),
      contentScript,
      'invalid-request',
      /Too big: expected string to have <=200 characters/,
    ],
    [
      'a page kind it does not know',
      () => ({ channel: 'overlay.forPage', payload: { page: { psa: 'connectwise', kind: 'invoice' } } }),
      contentScript,
      'invalid-request',
      /^Invalid overlay\.forPage request: Invalid option: expected one of /,
    ],
    [
      'a company id of the wrong type from the overlay',
      () => ({ channel: 'overlay.refresh', payload: { companyRemoteId: 250 } }),
      contentScript,
      'invalid-request',
      /expected string, received number/,
    ],
    [
      'a content script saving an integration',
      () => ({ channel: 'integration.save', payload: { psa: 'connectwise', form: VALID_FORMS.connectwise } }),
      contentScript,
      'forbidden',
      /^This context may not use integration\.save\.$/,
    ],
    [
      'a content script unlocking the vault',
      () => ({ channel: 'vault.unlock', payload: { passphrase: 'guess' } }),
      contentScript,
      'forbidden',
      /^This context may not use vault\.unlock\.$/,
    ],
    [
      'a content script signing Sidecar with another name (the PSA page would sign the team’s notes)',
      () => ({ channel: 'author.save', payload: { name: 'Mallory' } }),
      contentScript,
      'forbidden',
      /^This context may not use author\.save\.$/,
    ],
    [
      'an author name over 1,000 characters',
      () => ({ channel: 'author.save', payload: { name: 'x'.repeat(1001) } }),
      extensionPage,
      'invalid-request',
      /Too big: expected string to have <=1000 characters/,
    ],
    [
      'a content script writing a note on any client space (notes from the overlay go through overlay.note.save)',
      () => ({ channel: 'docs.note.save', payload: { place: { spaceId: 'space-1' }, text: 'Call Mallory' } }),
      contentScript,
      'forbidden',
      /^This context may not use docs\.note\.save\.$/,
    ],
    [
      'a content script binning a document',
      () => ({ channel: 'docs.bin', payload: { id: 'article:1', baseRev: '1-a' } }),
      contentScript,
      'forbidden',
      /^This context may not use docs\.bin\.$/,
    ],
    [
      'a content script reading a document’s history',
      () => ({ channel: 'docs.history', payload: { id: 'note:1' } }),
      contentScript,
      'forbidden',
      /^This context may not use docs\.history\.$/,
    ],
    [
      'a note placed on a record of a kind Sidecar does not document',
      () => ({ channel: 'docs.note.save', payload: { place: { integrationId: 'cw', entity: 'agreement', remoteId: '1' }, text: 'x' } }),
      extensionPage,
      'invalid-request',
      /A note belongs to a client space, or to a configuration, contact or site\./,
    ],
    [
      'a content script opening a credential',
      () => ({ channel: 'docs.credential.reveal', payload: { id: 'credential:1' } }),
      contentScript,
      'forbidden',
      /^This context may not use docs\.credential\.reveal\.$/,
    ],
    [
      'a content script writing a credential',
      () => ({ channel: 'docs.credential.save', payload: { place: { spaceId: 'space-1' }, name: 'x', secret: 'y' } }),
      contentScript,
      'forbidden',
      /^This context may not use docs\.credential\.save\.$/,
    ],
    [
      'a copy request naming a client space (the background decides it from the served company)',
      () => ({ channel: 'overlay.credential.copy', payload: { companyRemoteId: '1', credentialId: 'credential:1', spaceId: 'space-2' } }),
      contentScript,
      'invalid-request',
      /^Invalid overlay\.credential\.copy request: Unrecognized key: "spaceId"\.$/,
    ],
    [
      'a copy request from a content script in a sub-frame',
      () => ({ channel: 'overlay.credential.copy', payload: { companyRemoteId: '1', credentialId: 'credential:1' } }),
      subFrame,
      'forbidden',
      /^This context may not use overlay\.credential\.copy\.$/,
    ],
    [
      'a copy request from an extension page (only the overlay’s host asks, as the PSA tab)',
      () => ({ channel: 'overlay.credential.copy', payload: { companyRemoteId: '1', credentialId: 'credential:1' } }),
      extensionPage,
      'forbidden',
      /^This context may not use overlay\.credential\.copy\.$/,
    ],
    [
      'an article body over 5 MB (the store refuses over 1 MB at the field)',
      () => ({ channel: 'docs.article.save', payload: { spaceId: null, title: 't', body: 'x'.repeat(5_000_001) } }),
      extensionPage,
      'invalid-request',
      /Too big/,
    ],
    [
      'a content script importing a setup',
      () => ({ channel: 'setup.import', payload: { text: '{}' } }),
      contentScript,
      'forbidden',
      /^This context may not use setup\.import\.$/,
    ],
    [
      'a content script exporting the setup (documentation, credentials on request)',
      () => ({ channel: 'setup.export', payload: {} }),
      contentScript,
      'forbidden',
      /^This context may not use setup\.export\.$/,
    ],
    [
      'a setup export with a passphrase over 1,000 characters',
      () => ({ channel: 'setup.export', payload: { credentials: { passphrase: 'p'.repeat(1001) } } }),
      extensionPage,
      'invalid-request',
      /passphrase is too long: at most 1,000 characters/,
    ],
    [
      'a setup import with a passphrase over 1,000 characters',
      () => ({ channel: 'setup.import', payload: { text: '{}', passphrase: 'p'.repeat(1001) } }),
      extensionPage,
      'invalid-request',
      /passphrase is too long: at most 1,000 characters/,
    ],
    [
      'a setup export asking for something besides credentials',
      () => ({ channel: 'setup.export', payload: { credentials: { passphrase: 'a long enough passphrase' }, secrets: true } }),
      extensionPage,
      'invalid-request',
      /Unrecognized key: "secrets"/,
    ],
    [
      'a content script asking for a record link of any integration',
      () => ({ channel: 'records.link', payload: { integrationId: 'cw', entity: 'company', remoteId: '1' } }),
      contentScript,
      'forbidden',
      /^This context may not use records\.link\.$/,
    ],
    [
      'a content script in a sub-frame',
      () => ({ channel: 'overlay.forPage', payload: { page: { psa: 'connectwise', kind: 'ticket', id: '5' } } }),
      subFrame,
      'forbidden',
      /^This context may not use overlay\.forPage\.$/,
    ],
    ['another extension', () => ({ channel: 'overlay.context', payload: {} }), otherExtension, 'forbidden', /^This context may not use overlay\.context\.$/],
    ['a web page', () => ({ channel: 'vault.status', payload: {} }), webPage, 'forbidden', /^This context may not use vault\.status\.$/],
  ])('refuses %s', async (_case, message, sender, code, reason) => {
    const reply = await route(message(), sender);
    expect(reply).toMatchObject({ ok: false, error: { code, message: expect.stringMatching(reason) } });
    expect(called).not.toHaveBeenCalled();
  });

  it.each<[string, () => unknown]>([
    ['a setup file over 20 MB', () => ({ channel: 'setup.import', payload: { text: 'x'.repeat(20_000_001) } })],
    ['an empty passphrase', () => ({ channel: 'vault.unlock', payload: { passphrase: '' } })],
  ])('the reason for %s reads as one sentence', async (_case, message) => {
    const reply = await route(message(), extensionPage);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(!reply.ok && reply.error.message).not.toMatch(/\.\.$/);
    expect(called).not.toHaveBeenCalled();
  });

  it('a form value over 2,000 characters is refused at its field', async () => {
    const reply = await route(
      { channel: 'integration.save', payload: { psa: 'connectwise', form: { ...VALID_FORMS.connectwise, privateKey: 'k'.repeat(2001) } } },
      extensionPage,
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect((!reply.ok && reply.error.fields?.privateKey) || '(no message at privateKey)').toMatch(/too long|at most|2000|2,000/i);
    expect(called).not.toHaveBeenCalled();
  });
});

// ---------------------------------------------------------------------------------------------

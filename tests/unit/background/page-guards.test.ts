import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from '@/lib/browser';
import { SidecarDb } from '@/lib/db/schema';
import { createHandlers } from '@/lib/background/handlers';
import type { BackgroundServices } from '@/lib/background/services';
import { memoryServedStore } from '@/lib/background/served-records';
import { memoryTabStore } from '@/lib/background/tab-store';
import { LookupBudget } from '@/lib/overlay-view/lookup-budget';
import { TicketCache } from '@/lib/overlay-view/tickets';
import { PsaError } from '@/lib/psa/errors';
import type { PsaAdapter, TicketInfo } from '@/lib/psa/types';
import type { TicketDraft, TicketWriter } from '@/lib/psa/ticket-writer';
import { TicketService } from '@/lib/tickets/service';
import type { ClassifiedSender } from '@/lib/messaging/sender';
import type { OverlayView } from '@/lib/overlay-view/view-model';
import { destroyDocStore, docStore } from '@/lib/docstore/pouch';
import { DocumentService } from '@/lib/documents/service';
import { memoryKeyStore } from '@/lib/secrets/session';
import { Vault } from '@/lib/secrets/vault';

/**
 * Issue #12: the overlay's actions only concern the record the background served to that very tab,
 * and a page that navigates itself cannot make Sidecar ask the PSA without bound.
 * Checked to fail without their guards: with `requireServed` calls removed from the overlay.refresh,
 * overlay.match, overlay.openSpace, overlay.note.save, overlay.field.save and the overlay.ticket.* handlers (servedCompany in
 * lib/background/ticket-handlers.ts; and `requireOverlayNote`,
 * `overlayNotePlace`'s and `overlayFieldLayout`'s record checks), the "refused" cases reach the scheduler; with it removed
 * from overlay.credential.copy, the copy case puts a secret on the clipboard for a company the tab was
 * not shown, and with `placeInSpace` answering true (lib/documents/credentials.ts), another client's
 * credential and another company's record's are copied (both seen failing once); with `mayAskPsa` not passed
 * (or the TicketCache storing only successes), the lookup counts exceed the budget.
 */

const ORIGIN = 'https://na.myconnectwise.net';
let db: SidecarDb;
let ticketCalls: string[];
let resyncs: string[];
let matchedSpaces: string[];
let storeName: string;
let documents: DocumentService;
let copied: string[];
let ticketsCreated: TicketDraft[];

/** A PSA that takes every ticket (#16): what it was sent is what the guards let through. */
const ticketWriter: TicketWriter = {
  formChoices: async () => ({ fields: [], choices: {} }),
  validate: () => ({}),
  preview: (draft) => ({ method: 'POST', path: 'service/tickets', body: draft }),
  async create(draft) {
    ticketsCreated.push(draft);
    return { ticketId: String(500 + ticketsCreated.length) };
  },
  findByMarker: async () => null,
};

const tickets: Record<string, TicketInfo> = { '900': { ticketId: '900', companyRemoteId: '1' }, '901': { ticketId: '901', companyRemoteId: '2' } };
const adapter = {
  kind: 'connectwise',
  async getTicket(id: string) {
    ticketCalls.push(id);
    const info = tickets[id];
    if (!info) throw new PsaError('not-found', `Ticket #${id} was not found in ConnectWise.`);
    return info;
  },
  recordUrl: () => undefined,
} as unknown as PsaAdapter;

function services(): BackgroundServices {
  const vault = new Vault({ db, session: memoryKeyStore(), iterations: 1000 });
  return {
    db,
    vault,
    documents: new DocumentService(db, () => docStore(storeName), vault),
    clipboard: {
      async copy(text: string) {
        copied.push(text);
        return { clearsInSeconds: 30 };
      },
    },
    adapterFor: async () => adapter,
    ticketing: new TicketService({ db, adapterFor: async () => ({ ...adapter, tickets: ticketWriter }) as PsaAdapter, wakeAt: () => {} }),
    tickets: new TicketCache(),
    lookupBudget: new LookupBudget({ burst: 3, refillMs: 60_000 }),
    served: memoryServedStore(),
    frameSecrets: memoryTabStore<string>(),
    scheduler: {
      async requestCompanySync(integrationId: string, companyRemoteId: string) {
        resyncs.push(`${integrationId}:${companyRemoteId}`);
        return { runId: 'run', alreadyRunning: false };
      },
    },
    kick: async () => {},
  } as unknown as BackgroundServices;
}

const tab = (tabId: number): ClassifiedSender => ({ kind: 'content-script', pageOrigin: ORIGIN, tabId });
const page = (kind: 'company' | 'ticket', id: string) => ({ page: { psa: 'connectwise' as const, kind, id } });

beforeEach(async () => {
  db = new SidecarDb(`guards-${Math.random()}`);
  ticketCalls = [];
  resyncs = [];
  matchedSpaces = [];
  copied = [];
  ticketsCreated = [];
  storeName = `guards-docs-${Math.random()}`;
  documents = new DocumentService(db, () => docStore(storeName));
  await db.integrations.add({
    id: 'cw',
    psa: 'connectwise',
    label: 'ConnectWise',
    settings: { host: 'na.myconnectwise.net', scheme: 'https', companyId: 'acme' },
    uiOrigin: ORIGIN,
    origins: [ORIGIN],
    createdAt: 0,
    connection: { ok: true, companyName: 'MSP', testedAt: 0 },
    lastSyncAt: 1000,
  });
  const company = (remoteId: string, name: string) => ({
    integrationId: 'cw',
    entity: 'company' as const,
    remoteId,
    companyRemoteId: remoteId,
    data: { remoteId, name, types: [] },
    sortName: name.toLowerCase(),
    syncedAt: 1,
  });
  await db.records.bulkAdd([company('1', 'Northwind'), company('2', 'Contoso'), company('3', 'Fabrikam')]);
  const configuration = (remoteId: string, companyRemoteId: string) => ({
    integrationId: 'cw',
    entity: 'configuration' as const,
    remoteId,
    companyRemoteId,
    data: { remoteId, companyRemoteId, name: `Device ${remoteId}` },
    sortName: `device ${remoteId}`,
    syncedAt: 1,
  });
  await db.records.bulkAdd([configuration('20', '1'), configuration('21', '2')]);
  await db.clientSpaces.add({ id: 'space-2', name: 'Another client', createdAt: 0 });
  await db.clientSpaces.add({ id: 'space-1', name: 'Northwind', createdAt: 0 });
  await db.matches.add({ integrationId: 'cw', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space-1', decidedAt: 0 });
  db.clientSpaces.hook('creating', (_key, space) => void matchedSpaces.push(space.name));
});
afterEach(async () => {
  await destroyDocStore(storeName);
  await db.delete();
});

describe('overlay actions concern only the record served to that tab', () => {
  it('refreshes the company a tab was shown, and nothing else', async () => {
    const handlers = createHandlers(services());
    await expect(handlers['overlay.refresh']({ companyRemoteId: '1' }, tab(7))).rejects.toThrow(/no longer shows that company/);
    const view = (await handlers['overlay.forPage'](page('company', '1'), tab(7))) as OverlayView;
    expect(view.state).toBe('ready');
    await expect(handlers['overlay.refresh']({ companyRemoteId: '2' }, tab(7))).rejects.toThrow(/no longer shows that company/);
    await expect(handlers['overlay.refresh']({ companyRemoteId: '1' }, tab(8))).rejects.toThrow(/no longer shows that company/);
    expect(resyncs).toEqual([]);
    await handlers['overlay.refresh']({ companyRemoteId: '1' }, tab(7));
    expect(resyncs).toEqual(['cw:1']);
  });

  it('matches only the unmatched company a tab was shown, and only while it is offered', async () => {
    const handlers = createHandlers(services());
    await handlers['overlay.forPage'](page('company', '2'), tab(7));
    await expect(handlers['overlay.match']({ companyRemoteId: '3' }, tab(7))).rejects.toThrow(/no longer shows that company/);
    // A matched company's page offers Refresh, not Match.
    await handlers['overlay.forPage'](page('company', '1'), tab(8));
    await expect(handlers['overlay.match']({ companyRemoteId: '1' }, tab(8))).rejects.toThrow(/no longer shows that company/);
    expect(matchedSpaces).toEqual([]);
    expect(await db.matches.count()).toBe(1);
    await handlers['overlay.match']({ companyRemoteId: '2' }, tab(7));
    expect(matchedSpaces).toEqual(['Contoso']);
    expect(resyncs).toEqual(['cw:2']);
  });

  it('opens the client-space page only of the matched company a tab was shown', async () => {
    const handlers = createHandlers(services());
    const opened = vi.spyOn(browser.tabs, 'create').mockResolvedValue({} as never);
    await expect(handlers['overlay.openSpace']({ companyRemoteId: '1' }, tab(7))).rejects.toThrow(/no longer shows that company/);
    await handlers['overlay.forPage'](page('company', '1'), tab(7));
    await expect(handlers['overlay.openSpace']({ companyRemoteId: '2' }, tab(7))).rejects.toThrow(/no longer shows that company/);
    await expect(handlers['overlay.openSpace']({ companyRemoteId: '1' }, tab(8))).rejects.toThrow(/no longer shows that company/);
    expect(opened).not.toHaveBeenCalled();
    await handlers['overlay.openSpace']({ companyRemoteId: '1' }, tab(7));
    expect(opened).toHaveBeenCalledWith({ url: expect.stringMatching(/\/space\.html#\/space\/space-1$/) });
    // An article: this client's or the MSP's own, never another client's.
    const theirs = await documents.saveArticle({ spaceId: 'space-2', title: 'Their secrets', body: 'x' });
    const mine = await documents.saveArticle({ spaceId: 'space-1', title: 'Backups', body: 'x' });
    const everyone = await documents.saveArticle({ spaceId: null, title: 'Onboarding', body: 'x' });
    await expect(handlers['overlay.openSpace']({ companyRemoteId: '1', articleId: theirs.id }, tab(7))).rejects.toThrow(/not one of this client’s/);
    await handlers['overlay.openSpace']({ companyRemoteId: '1', articleId: mine.id }, tab(7));
    await handlers['overlay.openSpace']({ companyRemoteId: '1', articleId: everyone.id }, tab(7));
    expect(opened.mock.calls.slice(1).map(([options]) => (options as { url: string }).url.replace(/^.*#/, '#'))).toEqual([
      `#/space/space-1/article/${encodeURIComponent(mine.id)}`,
      `#/space/space-1/article/${encodeURIComponent(everyone.id)}`,
    ]);
    opened.mockRestore();
  });

  it('creates a ticket from the overlay only for the company served to that tab (#16)', async () => {
    const handlers = createHandlers(services());
    const input = { title: 'Printer offline', message: '', person: { kind: 'none' as const }, configurationRemoteIds: [], picks: {} };
    await expect(handlers['overlay.ticket.create']({ companyRemoteId: '1', input }, tab(7))).rejects.toThrow(/no longer shows that company/);
    await expect(handlers['overlay.ticket.form']({ companyRemoteId: '1' }, tab(7))).rejects.toThrow(/no longer shows that company/);
    await handlers['overlay.forPage'](page('company', '1'), tab(7));
    // Another company than the one the tab was shown, or the right one from another tab: refused.
    await expect(handlers['overlay.ticket.create']({ companyRemoteId: '2', input }, tab(7))).rejects.toThrow(/no longer shows that company/);
    await expect(handlers['overlay.ticket.preview']({ companyRemoteId: '2', input }, tab(7))).rejects.toThrow(/no longer shows that company/);
    await expect(handlers['overlay.ticket.create']({ companyRemoteId: '1', input }, tab(8))).rejects.toThrow(/no longer shows that company/);
    expect(ticketsCreated).toEqual([]);
    expect(await db.ticketOutbox.count()).toBe(0);

    const made = await handlers['overlay.ticket.create']({ companyRemoteId: '1', input }, tab(7));
    expect(made).toMatchObject({ state: 'created', companyRemoteId: '1', ticket: { ticketId: '501' } });
    expect(ticketsCreated.map((draft) => draft.companyRemoteId)).toEqual(['1']);
  });

  it('keeps a catch-all contact only when it is a contact of the catch-all company (#16)', async () => {
    const handlers = createHandlers(services());
    const pages: ClassifiedSender = { kind: 'extension-page' };
    await db.records.add({
      integrationId: 'cw',
      entity: 'contact',
      remoteId: '40',
      companyRemoteId: '2',
      data: { remoteId: '40', companyRemoteId: '2', name: 'Unregistered User' } as never,
      sortName: 'unregistered user',
      syncedAt: 1,
    });
    const settings = (companyRemoteId: string) => ({ defaults: {}, rules: [], catchAll: { companyRemoteId, contactRemoteId: '40' } });
    await expect(handlers['tickets.settings.save']({ integrationId: 'cw', settings: settings('1') }, pages)).rejects.toThrow(
      'The catch-all contact must be a contact of the catch-all company.',
    );
    expect((await db.integrations.get('cw'))?.options?.tickets).toBeUndefined();
    await handlers['tickets.settings.save']({ integrationId: 'cw', settings: settings('2') }, pages);
    expect((await db.integrations.get('cw'))?.options?.tickets).toEqual(settings('2'));
  });

  it('writes a note from the overlay only on the served company’s client space or its records; a forged id of another client’s note is refused', async () => {
    const handlers = createHandlers(services());
    const space = { kind: 'space' as const };
    await expect(handlers['overlay.note.save']({ companyRemoteId: '1', about: space, text: 'Before serving' }, tab(7))).rejects.toThrow(
      /no longer shows that company/,
    );
    await handlers['overlay.forPage'](page('company', '1'), tab(7));
    await expect(handlers['overlay.note.save']({ companyRemoteId: '2', about: space, text: 'Other company' }, tab(7))).rejects.toThrow(
      /no longer shows that company/,
    );
    // A record of another company, though the page's own company is served.
    const foreignRecord = { kind: 'record' as const, entity: 'configuration' as const, remoteId: '21' };
    await expect(handlers['overlay.note.save']({ companyRemoteId: '1', about: foreignRecord, text: 'x' }, tab(7))).rejects.toThrow(/not one of this client’s/);
    // Another client's note, by its id.
    const theirs = await documents.saveNote({ place: { spaceId: 'space-2' }, text: 'Contoso only' });
    const forged = { companyRemoteId: '1', about: space, noteId: theirs.id, baseRev: theirs.rev, text: 'overwritten' };
    await expect(handlers['overlay.note.save'](forged, tab(7))).rejects.toThrow(/not one of this client’s/);
    expect((await db.docs.get(theirs.id))?.doc.text).toBe('Contoso only');
    expect(await db.docs.count()).toBe(1);

    const onSpace = (await handlers['overlay.note.save']({ companyRemoteId: '1', about: space, text: 'Call Dana first' }, tab(7))) as {
      id: string;
      rev: string;
    };
    const ownRecord = { kind: 'record' as const, entity: 'configuration' as const, remoteId: '20' };
    const onRecord = (await handlers['overlay.note.save']({ companyRemoteId: '1', about: ownRecord, text: 'Keys in rack' }, tab(7))) as {
      id: string;
      rev: string;
    };
    expect((await db.docs.get(onSpace.id))?.spaceId).toBe('space-1');
    expect((await db.docs.get(onRecord.id))?.recordKey).toBe('connectwise:na.myconnectwise.net:acme/configuration/20');
    const edit = { companyRemoteId: '1', about: space, noteId: onRecord.id, baseRev: onRecord.rev, text: 'Keys with reception' };
    await handlers['overlay.note.save'](edit, tab(7));
    expect((await db.docs.get(onRecord.id))?.doc.text).toBe('Keys with reception');
  });

  it('copies only a credential of the client a tab was shown, and the reply never holds the secret', async () => {
    const svc = services();
    const handlers = createHandlers(svc);
    // Tailspin (company 4) is another client, with a configuration of its own.
    await db.records.bulkAdd([
      {
        integrationId: 'cw',
        entity: 'company',
        remoteId: '4',
        companyRemoteId: '4',
        data: { remoteId: '4', name: 'Tailspin', types: [] },
        sortName: 'tailspin',
        syncedAt: 1,
      },
      {
        integrationId: 'cw',
        entity: 'configuration',
        remoteId: '40',
        companyRemoteId: '4',
        data: { remoteId: '40', companyRemoteId: '4', name: 'TS-FW' } as never,
        sortName: 'ts-fw',
        syncedAt: 1,
      },
      {
        integrationId: 'cw',
        entity: 'configuration',
        remoteId: '10',
        companyRemoteId: '1',
        data: { remoteId: '10', companyRemoteId: '1', name: 'NW-FW' } as never,
        sortName: 'nw-fw',
        syncedAt: 1,
      },
    ]);
    await db.clientSpaces.add({ id: 'space-4', name: 'Tailspin', createdAt: 0 });
    await db.matches.add({ integrationId: 'cw', companyRemoteId: '4', state: 'matched', clientSpaceId: 'space-4', decidedAt: 0 });
    const save = (place: Parameters<DocumentService['saveCredential']>[0]['place'], secret: string) =>
      svc.documents.saveCredential({ place, name: secret, secret });
    const own = await save({ spaceId: 'space-1' }, 'northwind-secret');
    const ownRecord = await save({ integrationId: 'cw', entity: 'configuration', remoteId: '10' }, 'nw-fw-secret');
    const otherSpace = await save({ spaceId: 'space-4' }, 'tailspin-secret');
    const otherRecord = await save({ integrationId: 'cw', entity: 'configuration', remoteId: '40' }, 'ts-fw-secret');
    const copy = (companyRemoteId: string, credentialId: string, tabId = 7) =>
      handlers['overlay.credential.copy']({ companyRemoteId, credentialId }, tab(tabId));

    // Not served yet; then served company 1 in tab 7 only.
    await expect(copy('1', own.id)).rejects.toThrow(/no longer shows that company/);
    const view = (await handlers['overlay.forPage'](page('company', '1'), tab(7))) as OverlayView;
    expect(view.state === 'ready' && view.credentials.map((credential) => credential.name).sort()).toEqual(['northwind-secret', 'nw-fw-secret']);
    await expect(copy('4', otherSpace.id)).rejects.toThrow(/no longer shows that company/);
    await expect(copy('1', own.id, 8)).rejects.toThrow(/no longer shows that company/);
    // Served, but the credential is another client's, or on another company's record.
    await expect(copy('1', otherSpace.id)).rejects.toThrow('That credential is not one of this client’s.');
    await expect(copy('1', otherRecord.id)).rejects.toThrow('That credential is not one of this client’s.');
    await expect(copy('1', 'credential:made-up')).rejects.toThrow('That credential is not one of this client’s.');
    expect(copied).toEqual([]);

    const replies = [await copy('1', own.id), await copy('1', ownRecord.id)];
    expect(replies).toEqual([
      { copied: true, clearsInSeconds: 30 },
      { copied: true, clearsInSeconds: 30 },
    ]);
    expect(copied).toEqual(['northwind-secret', 'nw-fw-secret']);
    // A tab that left the record can copy nothing more.
    await handlers['overlay.left']({}, tab(7));
    await expect(copy('1', own.id)).rejects.toThrow(/no longer shows that company/);
    expect(copied).toHaveLength(2);
  });

  it('fills a custom field from the overlay only on a record of the served company', async () => {
    const handlers = createHandlers(services());
    await db.layouts.put({ id: 'layout-configurations', name: 'Configurations', active: true, createdAt: 0, fields: [{ id: 'rack', name: 'Rack' }] });
    await db.records.update(['cw', 'configuration', '20'], { layoutId: 'layout-configurations' });
    await db.records.update(['cw', 'configuration', '21'], { layoutId: 'layout-configurations' });
    const fill = (companyRemoteId: string, remoteId: string, v: string) =>
      handlers['overlay.field.save']({ companyRemoteId, entity: 'configuration', remoteId, fieldId: 'rack', value: { type: 'text', v } }, tab(7));
    await expect(fill('1', '20', 'Before serving')).rejects.toThrow(/no longer shows that company/);
    await handlers['overlay.forPage'](page('company', '1'), tab(7));
    await expect(fill('2', '21', 'Other company')).rejects.toThrow(/no longer shows that company/);
    // Another company's record, though the page's own company is served.
    await expect(fill('1', '21', 'Foreign record')).rejects.toThrow(/not one of this client’s/);
    expect(await db.docs.count()).toBe(0);
    await fill('1', '20', 'Rack 2');
    expect((await db.docs.toArray()).map((row) => [row.recordKey, (row.doc.value as { v: string }).v])).toEqual([
      ['connectwise:na.myconnectwise.net:acme/configuration/20', 'Rack 2'],
    ]);
  });

  it('forgets what a tab was shown when it leaves the record', async () => {
    const handlers = createHandlers(services());
    await handlers['overlay.forPage'](page('company', '1'), tab(7));
    await handlers['overlay.left']({}, tab(7));
    await expect(handlers['overlay.refresh']({ companyRemoteId: '1' }, tab(7))).rejects.toThrow(/no longer shows that company/);
    expect(resyncs).toEqual([]);
  });
});

describe('a page that navigates itself', () => {
  it('costs one PSA lookup per ticket, failures included, however often it comes back', async () => {
    const handlers = createHandlers(services());
    for (let round = 0; round < 20; round += 1) {
      await Promise.all([handlers['overlay.forPage'](page('ticket', '900'), tab(7)), handlers['overlay.forPage'](page('ticket', '404'), tab(7))]);
    }
    expect(ticketCalls.sort()).toEqual(['404', '900']);
  });

  it('is held to a small burst of new tickets, then told when it may ask again', async () => {
    const handlers = createHandlers(services());
    const views: OverlayView[] = [];
    for (let id = 1000; id < 1010; id += 1) views.push((await handlers['overlay.forPage'](page('ticket', String(id)), tab(7))) as OverlayView);
    expect(ticketCalls).toHaveLength(3);
    const held = views.slice(3);
    expect(held.every((view) => view.state === 'error' && view.retryAfterMs! > 0 && /changed pages too often/.test(view.message))).toBe(true);
    // Another tab has its own budget; answers already known cost nothing.
    await handlers['overlay.forPage'](page('ticket', '900'), tab(8));
    expect(ticketCalls).toHaveLength(4);
    await handlers['overlay.forPage'](page('ticket', '900'), tab(7));
    expect(ticketCalls).toHaveLength(4);
  });
});

describe('the overlay frame’s secret', () => {
  it('is given only to an extension page in the tab whose content script registered it', async () => {
    const handlers = createHandlers(services());
    const secret = 'c'.repeat(48);
    await handlers['overlay.frame.register']({ secret }, tab(7));
    const framePage = (tabId?: number): ClassifiedSender => ({ kind: 'extension-page', ...(tabId !== undefined ? { tabId } : {}) });
    await expect(handlers['overlay.frame.secret']({}, framePage(7))).resolves.toEqual({ secret });
    await expect(handlers['overlay.frame.secret']({}, framePage(8))).resolves.toEqual({ secret: null });
    await expect(handlers['overlay.frame.secret']({}, framePage())).resolves.toEqual({ secret: null });
  });
});

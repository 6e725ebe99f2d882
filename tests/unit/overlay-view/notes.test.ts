import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type RecordRow } from '@/lib/db/schema';
import { destroyDocStore, docStore } from '@/lib/docstore/pouch';
import { saveAuthorName } from '@/lib/docstore/author';
import { DocumentService } from '@/lib/documents/service';
import { buildOverlayView, TicketCache } from '@/lib/overlay-view/view';
import { overlayViewSchema } from '@/lib/overlay-view/view-model';
import { saveDocument } from '@/lib/documents/write';
import type { CanonicalRecord, EntityKind, PsaAdapter, TicketInfo } from '@/lib/psa/types';

const ORIGIN = 'https://na.myconnectwise.net';
let db: SidecarDb;
let storeName: string;
let docs: DocumentService;
const tickets: Record<string, TicketInfo> = { '900': { ticketId: '900', companyRemoteId: '1', contactRemoteId: '10' } };
const adapter = { kind: 'connectwise', getTicket: async (id: string) => tickets[id]!, recordUrl: () => undefined } as unknown as PsaAdapter;
const view = (kind: 'company' | 'ticket' | 'configuration', id: string) =>
  buildOverlayView({ db, adapterFor: async () => adapter, tickets: new TicketCache() }, ORIGIN, { psa: 'connectwise', kind, id });
const row = (entity: EntityKind, data: CanonicalRecord): RecordRow => ({
  integrationId: 'cw',
  entity,
  remoteId: data.remoteId,
  companyRemoteId: entity === 'company' ? data.remoteId : (data as { companyRemoteId: string }).companyRemoteId,
  data,
  sortName: ((data as { name?: string }).name ?? '').toLowerCase(),
  syncedAt: 1,
});

beforeEach(async () => {
  db = new SidecarDb(`notes-${crypto.randomUUID()}`);
  storeName = `docs-${crypto.randomUUID()}`;
  docs = new DocumentService(db, () => docStore(storeName));
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
  await db.records.bulkAdd([
    row('company', { remoteId: '1', name: 'Northwind', types: [] }),
    row('company', { remoteId: '2', name: 'Contoso', types: [] }),
    row('contact', { remoteId: '10', companyRemoteId: '1', name: 'Zoe Adams' }),
    row('configuration', { remoteId: '20', companyRemoteId: '1', name: 'FS01' }),
    row('configuration', { remoteId: '21', companyRemoteId: '2', name: 'Contoso box' }),
  ]);
  await db.clientSpaces.bulkAdd([
    { id: 'space-1', name: 'Northwind', createdAt: 0 },
    { id: 'space-2', name: 'Contoso', createdAt: 0 },
  ]);
  await db.matches.bulkAdd([
    { integrationId: 'cw', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space-1', decidedAt: 0 },
    { integrationId: 'cw', companyRemoteId: '2', state: 'matched', clientSpaceId: 'space-2', decidedAt: 0 },
  ]);
  await saveAuthorName(db, 'Dana');
});
afterEach(async () => {
  await destroyDocStore(storeName);
  await db.delete();
});

const notesOf = async (kind: 'company' | 'ticket' | 'configuration', id: string) => {
  const shown = await view(kind, id);
  if (shown.state !== 'ready') throw new Error(`not ready: ${shown.state}`);
  return shown.notes.map((note) => [note.text, note.about ?? 'space', note.by]);
};

describe('pinned notes in the overlay', () => {
  it('shows the client’s notes on every page of that client, the page’s own record’s first, never another client’s or a binned one', async () => {
    await docs.saveNote({ place: { spaceId: 'space-1' }, text: 'Call Dana before rebooting' });
    await docs.saveNote({ place: { integrationId: 'cw', entity: 'configuration', remoteId: '20' }, text: 'Spare keys in the rack' });
    await docs.saveNote({ place: { integrationId: 'cw', entity: 'contact', remoteId: '10' }, text: 'Prefers email' });
    await docs.saveNote({ place: { spaceId: 'space-2' }, text: 'Contoso only' });
    await docs.saveNote({ place: { integrationId: 'cw', entity: 'configuration', remoteId: '21' }, text: 'Contoso box note' });
    const binned = await docs.saveNote({ place: { spaceId: 'space-1' }, text: 'Old news' });
    await docs.bin(binned.id, binned.rev);

    expect(await notesOf('company', '1')).toEqual([
      ['Call Dana before rebooting', 'space', 'Dana'],
      ['Prefers email', 'Zoe Adams', 'Dana'],
      ['Spare keys in the rack', 'FS01', 'Dana'],
    ]);
    expect((await notesOf('configuration', '20'))[0]).toEqual(['Spare keys in the rack', 'FS01', 'Dana']);
    // A ticket page: its contact's note leads.
    expect((await notesOf('ticket', '900'))[0]).toEqual(['Prefers email', 'Zoe Adams', 'Dana']);
    expect(await notesOf('company', '2')).toEqual([
      ['Contoso only', 'space', 'Dana'],
      ['Contoso box note', 'Contoso box', 'Dana'],
    ]);
  });

  it('follows the match: a company matched to another client space shows that space’s notes', async () => {
    await docs.saveNote({ place: { spaceId: 'space-2' }, text: 'Contoso only' });
    await db.matches.put({ integrationId: 'cw', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space-2', decidedAt: 1 });
    expect((await notesOf('company', '1')).map(([text]) => text)).toContain('Contoso only');
  });

  it('says a note was edited on two computers at once: who wrote the other edit and when (kept in its history)', async () => {
    const note = await docs.saveNote({ place: { spaceId: 'space-1' }, text: 'Reboot on Sundays' });
    const teammate = docStore(`${storeName}-teammate`);
    try {
      await docStore(storeName).replicate.to(teammate);
      await docs.saveNote({ id: note.id, baseRev: note.rev, text: 'Reboot on Sundays, call Dana first' });
      await saveDocument(
        teammate,
        { installId: 'sam', name: 'Sam' },
        { kind: 'note', id: note.id, baseRev: note.rev, content: { text: 'Reboot any night' } },
        5_000,
      );
      await teammate.replicate.to(docStore(storeName));
      expect(await docs.settleConflicts()).toBe(1);
    } finally {
      await destroyDocStore(`${storeName}-teammate`);
    }
    const shown = await view('company', '1');
    expect(overlayViewSchema.parse(shown)).toEqual(shown);
    if (shown.state !== 'ready') throw new Error(shown.state);
    const [only] = shown.notes;
    // The other edit is the one that lost: Dana's or Sam's, by PouchDB's rule, the same on every computer.
    const other = only!.text === 'Reboot any night' ? { by: 'Dana', at: expect.any(Number) } : { by: 'Sam', at: 5_000 };
    expect(only!.conflictKept).toEqual([other]);
  });
});

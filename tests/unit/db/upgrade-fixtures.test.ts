import Dexie from 'dexie';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestPreview } from '@/lib/db/queries';
import { SidecarDb, type DocRow, type IntegrationRow, type RecordRow, type RunRow } from '@/lib/db/schema';
import { projectedRow } from '@/lib/documents/projector';
import { sourceKeyOf } from '@/lib/documents/places';
import { spaceDocuments } from '@/lib/documents/read';
import { overlayArticles } from '@/lib/overlay-view/notes';
import { PSA_DESCRIPTORS } from '@/lib/psa/all';
import type { CanonicalRecord, EntityKind, PageRequest, PageResult, PsaAdapter } from '@/lib/psa/types';
import { loadIndex } from '@/lib/search/snapshot';
import { SearchService } from '@/lib/search/service';
import { openDocSecret, type DocSealed } from '@/lib/secrets/doc-key';
import { memoryKeyStore } from '@/lib/secrets/session';
import { readCredentials, sealLegacySecrets } from '@/lib/secrets/store';
import { Vault } from '@/lib/secrets/vault';
import { readBillingSettings } from '@/lib/billing/settings';
import { loadSchedule } from '@/lib/sync/schedule';
import { effectiveOptions } from '@/lib/sync/options';
import { SyncScheduler } from '@/lib/sync/scheduler';
import { teamLogin } from '@/lib/team/state';
import { readTicketSettings } from '@/lib/tickets/settings';
import {
  BMS,
  CREDENTIALS,
  CUT_AT_TOKEN,
  CW,
  DOC_SECRET,
  FOLLOWING_SPACES,
  GONE_FROM_PSA,
  HALO,
  INTEGRATIONS,
  INTERRUPTED_RUN,
  PAGE_SIZE,
  PASSPHRASE,
  TEAM_DOC_SECRET,
  TEAM_PASSWORD,
  passphraseSet,
  previewRunId,
  stoppedByPerson,
} from '../../fixtures/db/scenario';

/**
 * Updates that lose nothing (#18): a database as each shipped version left it
 * (tests/fixtures/db/vNN.json, made by tests/fixtures/db/make-fixture.ts) is opened by today's
 * code, as the background opens it, and must hold every row with the same meaning, open its
 * sealed secrets with the same passphrase, and resume the sync that was cut off where it stood.
 */

type Row = Record<string, unknown>;
type Tables = Record<string, Row[]>;

interface Fixture {
  version: number;
  madeBy: string;
  stores: Record<string, string>;
  tables: Tables;
  /** Before v6: the words v6's own code gave each record (what its upgrade must give them). */
  v6Words?: Record<string, string[]>;
}

const FIXTURES_DIR = join(process.cwd(), 'tests/fixtures/db');
/** The MSP's own article (for every client), written from v9 on. */
const GLOBAL_ARTICLE = 'article:9b1d3e5f-onboarding';

const TYPED_ARRAYS: Record<string, new (buffer: ArrayBuffer) => ArrayBufferView> = { Int32Array, Uint8Array, Uint16Array, Uint32Array, Float64Array };

/** Typed arrays were written as base64 (make-fixture.ts `encode`). */
function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    const typed = value as { $typed?: string; base64?: string };
    if (typed.$typed !== undefined && typed.base64 !== undefined) {
      const View = TYPED_ARRAYS[typed.$typed];
      if (!View) throw new Error(`No decoder for ${typed.$typed}`);
      const bytes = Buffer.from(typed.base64, 'base64');
      return new View(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, decode(inner)]));
  }
  return value;
}

const fixtures: Fixture[] = readdirSync(FIXTURES_DIR)
  .filter((file) => /^v\d+\.json$/.test(file))
  .map((file) => {
    const fixture = JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')) as Fixture;
    expect(file, 'a fixture is named after its version').toBe(`v${String(fixture.version).padStart(2, '0')}.json`);
    return { ...fixture, tables: decode(fixture.tables) as Tables };
  })
  .sort((a, b) => a.version - b.version);

/** v20: previews kept under plain run ids (before c6870e4) are moved into the previews' key range. */
const inPreviewRange = (runId: string) => (runId.startsWith('preview-') ? runId : `preview-${runId}`);
/** The fixture's previews (v4 on), by the id they had. */
const previewIds = (fixture: Fixture) => new Set(fixture.tables.runs!.filter((run) => run.dryRun).map((run) => run.id as string));

const recordKey = (row: { integrationId?: unknown; entity?: unknown; remoteId?: unknown }) =>
  `${String(row.integrationId)}/${String(row.entity)}/${String(row.remoteId)}`;
const byKey = (rows: Row[], key: (row: Row) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

/** What reading a run's pages marked, whichever table a version kept it in: run, entity, ids. */
const markSummary = (rows: Row[]) => {
  const byRun = new Map<string, string[]>();
  for (const row of rows) {
    const key = `${String(row.runId)}/${String(row.entity)}`;
    byRun.set(key, [...(byRun.get(key) ?? []), ...((row.remoteIds as string[] | undefined) ?? [String(row.remoteId)])]);
  }
  return [...byRun].map(([key, ids]) => `${key}: ${[...new Set(ids)].sort().join(',')}`).sort();
};

/**
 * The fixture's rows as today's types say they must read after the upgrades (each migration's
 * documented effect, written here independently of its code). Secrets and the vault are
 * checked apart (sealed when the background starts), and so are the marks (a row per page now).
 */
function expectedTables(fixture: Fixture): Tables {
  const tables = structuredClone(fixture.tables);
  // v6: records synced before have their search words, as v6's code gave them.
  if (fixture.version < 6) for (const row of tables.records!) row.words = fixture.v6Words![recordKey(row)];
  // v10: a client space named as the one company matched to it follows that company's name.
  if (fixture.version < 10)
    for (const space of tables.clientSpaces!) if (FOLLOWING_SPACES[space.id as string]) space.nameFollows = FOLLOWING_SPACES[space.id as string];
  // v20: previews from before c6870e4 are under `preview-` + their id, and so is what names them.
  const previews = previewIds(fixture);
  for (const run of tables.runs!) if (previews.has(run.id as string)) run.id = inPreviewRange(run.id as string);
  for (const row of tables.log!) if (previews.has(row.runId as string)) row.runId = inPreviewRange(row.runId as string);
  // v20: the MSP's own articles (the document says `spaceId: null`) projected without a space key
  // (v9's code) are under '*', where today's code projects them and every client's page reads them.
  for (const row of tables.docs ?? [])
    if (row.kind === 'article' && row.invalid === undefined && row.spaceId === undefined && (row.doc as Row).spaceId === null) row.spaceId = '*';
  delete tables.previewSeen; // v15, its marks moved to `seen` by v14
  delete tables.seen; // v19, its marks moved to `seenBatches` by v18
  delete tables.seenBatches;
  delete tables.secrets;
  delete tables.vault;
  return tables;
}

function primaryKeyOf(table: Dexie.Table): (row: Row) => string {
  const path = table.schema.primKey.keyPath;
  return (row) => JSON.stringify(Array.isArray(path) ? path.map((part) => row[part]) : row[path as string]);
}

/**
 * A PSA that answers from what the fixture says it still holds (its live records, less what
 * GONE_FROM_PSA took away), two records a page, page tokens as offsets: what the cut-off runs
 * read before (the fixture's CUT_AT_TOKEN) is the same first page.
 */
class FixturePsa {
  readonly calls: { integrationId: string; entity: EntityKind; request: PageRequest }[] = [];
  private readonly lists = new Map<string, CanonicalRecord[]>();

  constructor(records: RecordRow[]) {
    for (const row of records) {
      if (row.archivedAt !== undefined || row.goneFromPsaAt !== undefined) continue;
      if ((GONE_FROM_PSA[row.integrationId]?.[row.entity as 'company' | 'contact'] ?? []).includes(row.remoteId)) continue;
      const key = `${row.integrationId}/${row.entity}`;
      this.lists.set(key, [...(this.lists.get(key) ?? []), row.data]);
    }
  }

  adapterFor(integrationId: string): PsaAdapter {
    const lists = this.lists;
    const calls = this.calls;
    const capability = { incremental: true, idsOnly: true };
    return {
      kind: 'connectwise',
      listPageSize: PAGE_SIZE,
      capabilities: { company: capability, contact: capability, configuration: capability, agreement: capability, site: capability },
      testConnection: async () => ({ companyName: 'Fixture PSA' }),
      async listPage<E extends EntityKind>(entity: E, request: PageRequest): Promise<PageResult<E>> {
        calls.push({ integrationId, entity, request });
        const rows = (lists.get(`${integrationId}/${entity}`) ?? [])
          .filter((row) => !request.since || (row.updatedAt ?? '') >= request.since)
          .filter(
            (row) =>
              entity === 'company' || !request.companyRemoteIds || request.companyRemoteIds.includes((row as { companyRemoteId: string }).companyRemoteId),
          )
          .sort((a, b) => Number(a.remoteId) - Number(b.remoteId));
        const offset = Number(request.pageToken ?? 0);
        const page = rows.slice(offset, offset + PAGE_SIZE);
        return {
          records: (request.idsOnly ? page.map(({ remoteId }) => ({ remoteId })) : page) as PageResult<E>['records'],
          rejected: [],
          nextPageToken: offset + PAGE_SIZE < rows.length ? String(offset + PAGE_SIZE) : null,
          total: rows.length,
        };
      },
      getTicket: async () => {
        throw new Error('no tickets here');
      },
      recordUrl: () => undefined,
    };
  }
}

const integrationRecords = (rows: RecordRow[], integrationId: string) => rows.filter((row) => row.integrationId === integrationId);
const liveIds = (rows: RecordRow[], integrationId: string, entity: EntityKind) =>
  integrationRecords(rows, integrationId)
    .filter((row) => row.entity === entity && row.archivedAt === undefined)
    .map((row) => row.remoteId)
    .sort();

it('has a fixture for every version the database declares, the newest included', async () => {
  const db = new SidecarDb(`upgrade-fixtures-newest-${crypto.randomUUID()}`);
  await db.open();
  const newest = db.verno;
  db.close();
  await Dexie.delete(db.name);
  expect(fixtures.map((fixture) => fixture.version)).toEqual(Array.from({ length: newest }, (_, index) => index + 1));
});

/** Shipped versions whose tables were changed afterwards, and what makes up for it. */
const CHANGED_AFTER_SHIPPING: Record<number, string> = {
  18: '`seenBatches` came after v18 shipped (1a3dfe3, 1e792b8): v19 moves the marks a database at the first v18 kept in `seen`',
};

it('declares each version’s tables as it shipped them: a version, once shipped, never changes', () => {
  // Dexie keeps each version's `stores` argument: the tables up to N are the merge of versions 1..N.
  const { _versions } = new SidecarDb(`probe-${crypto.randomUUID()}`) as unknown as {
    _versions: { _cfg: { version: number; storesSource: Record<string, string | null> | null } }[];
  };
  for (const fixture of fixtures) {
    const merged: Record<string, string | null> = {};
    for (const { _cfg } of [..._versions].sort((a, b) => a._cfg.version - b._cfg.version))
      if (_cfg.version <= fixture.version) Object.assign(merged, _cfg.storesSource);
    const declared = Object.fromEntries(Object.entries(merged).filter(([, indexes]) => indexes !== null));
    if (CHANGED_AFTER_SHIPPING[fixture.version]) expect(declared, CHANGED_AFTER_SHIPPING[fixture.version]).not.toEqual(fixture.stores);
    else expect(declared, `v${fixture.version}'s tables`).toEqual(fixture.stores);
  }
});

describe.each(fixtures.map((fixture) => [`v${fixture.version}`, fixture] as const))('a database left by %s, opened by today’s code', (_label, fixture) => {
  const n = fixture.version;
  const name = `upgrade-fixture-v${n}-${crypto.randomUUID()}`;
  let db: SidecarDb;
  let vault: Vault;

  beforeAll(async () => {
    // The database as that browser held it: exactly the tables that version declared, its rows.
    const old = new Dexie(name);
    old.version(n).stores(fixture.stores);
    await old.open();
    for (const [table, rows] of Object.entries(fixture.tables)) await old.table(table).bulkAdd(rows);
    old.close();

    // Opened as the background opens it (lib/background/services.ts `start`): the upgrades run,
    // then credentials an older version left in plaintext are sealed (a no-op while locked).
    db = new SidecarDb(name);
    await db.open();
    vault = new Vault({ db, session: memoryKeyStore() });
    await sealLegacySecrets(db, vault);
  });
  afterAll(async () => {
    db.close();
    await Dexie.delete(name);
  });

  it('is at the newest version, with the tables it declares', async () => {
    const newest = new SidecarDb(`probe-${crypto.randomUUID()}`);
    expect(db.verno).toBe(newest.verno);
    expect(db.tables.map((table) => table.name).sort()).toEqual(newest.tables.map((table) => table.name).sort());
  });

  it('keeps every row, meaning what it meant', async () => {
    const expected = expectedTables(fixture);
    for (const table of db.tables) {
      if (['secrets', 'vault', 'seenBatches'].includes(table.name)) continue;
      const key = primaryKeyOf(table);
      expect(byKey((await table.toArray()) as Row[], key), `${table.name} after the upgrade from v${n}`).toEqual(byKey(expected[table.name] ?? [], key));
    }
    // What runs read before the update (a preview's, and a sync's reads that wrote nothing) is still theirs.
    const previews = previewIds(fixture);
    const marks = [...(fixture.tables.previewSeen ?? []), ...(fixture.tables.seen ?? []), ...(fixture.tables.seenBatches ?? [])].map((mark) =>
      previews.has(mark.runId as string) ? { ...mark, runId: inPreviewRange(mark.runId as string) } : mark,
    );
    expect(markSummary((await db.seenBatches.toArray()) as unknown as Row[]), 'marks of what runs read').toEqual(markSummary(marks));
    expect(markSummary(marks).length, 'the fixture holds the cut-off runs’ marks').toBe(n >= 14 ? 2 : n >= 4 ? 1 : 0);
  });

  it('opens the sealed secrets with the same passphrase, and not with another', async () => {
    const secrets = await db.secrets.toArray();
    // Nothing left in plaintext: an older version's credentials were sealed at start.
    expect(secrets.filter((row) => row.credentials !== undefined || !row.sealed)).toEqual([]);
    if (n < 7) expect(secrets.map((row) => row.integrationId).sort()).toEqual([...INTEGRATIONS].sort());
    else {
      expect(byKey(secrets as unknown as Row[], (row) => String(row.integrationId))).toEqual(
        byKey(fixture.tables.secrets!, (row) => String(row.integrationId)),
      );
      expect(await db.vault.toArray()).toEqual(fixture.tables.vault);
    }

    if (passphraseSet(n)) {
      expect(await vault.status()).toEqual({ protected: true, locked: true });
      await expect(readCredentials(db, vault, CW)).rejects.toMatchObject({ code: 'locked' });
      await expect(vault.unlock('not the passphrase')).rejects.toMatchObject({ code: 'wrong-passphrase' });
      await vault.unlock(PASSPHRASE);
    } else {
      expect(await vault.status()).toEqual({ protected: false });
    }
    for (const integrationId of INTEGRATIONS) expect(await readCredentials(db, vault, integrationId)).toEqual(CREDENTIALS[integrationId]);
    if (n >= 9) {
      const sealedIn = async (id: string) => ((await db.docs.get(id))!.doc as { sealed: DocSealed }).sealed;
      expect(await openDocSecret(db, vault, await sealedIn('credential:3c5a7e9b-idrac'))).toEqual(DOC_SECRET);
      if (n >= 10) {
        expect(await openDocSecret(db, vault, await sealedIn('credential:8a0c2e4f-wifi'))).toEqual(TEAM_DOC_SECRET);
        expect((await teamLogin(db, vault))?.password).toBe(TEAM_PASSWORD);
      }
    }
    await vault.lock();
  });

  it('is read by today’s code as it was written: settings, credentials, options, schedule, documents, search', async () => {
    const session = memoryKeyStore();
    const reader = new Vault({ db, session });
    if (passphraseSet(n)) await reader.unlock(PASSPHRASE);
    for (const integration of await db.integrations.toArray()) {
      const descriptor = PSA_DESCRIPTORS.find((candidate) => candidate.kind === integration.psa)!;
      expect(descriptor.settingsSchema.parse(integration.settings), `${integration.psa} settings`).toEqual(integration.settings);
      const credentials = await readCredentials(db, reader, integration.id);
      expect(descriptor.credentialsSchema.parse(credentials), `${integration.psa} credentials`).toEqual(credentials);
    }
    const cw = (await db.integrations.get(CW)) as IntegrationRow;
    const options = effectiveOptions(cw.options);
    if (n >= 2) {
      expect(options.skip).toMatchObject({
        inactiveConfigurations: true,
        configurationTypes: ['Printer'],
        inactiveCompanies: true,
        companyTypes: ['Prospect'],
      });
      expect(options).toMatchObject({ autoUpdateNames: false, autoArchiveDeletedDevices: false, apiSharePercent: n >= 7 ? 30 : 50 });
    }
    // Settings a schema refuses are read as none: an older version's must still be accepted.
    if (n >= 12) expect(readTicketSettings(cw.options!.tickets)).toEqual(cw.options!.tickets);
    if (n >= 13) expect(readBillingSettings(cw.options!.billing)).toEqual(cw.options!.billing);
    if (n >= 3) expect(await loadSchedule(db)).toEqual({ id: 'schedule', intervalHours: 6, quiet: { fromHour: 22, toHour: 6 } });

    // Documents: today's projector reads each stored one as the projection holds it, and its
    // record is still found by the tenant it names.
    for (const row of (await db.docs.toArray()) as DocRow[]) {
      const today = projectedRow(row.doc as never);
      // v9's words differ from today's (a credential's whole web address, today its host only: a
      // path may hold a token; a date not also run together). A row keeps the words it was
      // projected with until its document changes: what it is found by, not what it holds.
      if (n === 9) today.words = row.words;
      expect(today, `document ${row.id}`).toEqual(row);
    }
    if (n >= 9) {
      expect((await db.docs.get('credential:3c5a7e9b-idrac'))?.recordKey).toBe(`${sourceKeyOf(cw)}/configuration/20`);
      const acme = await spaceDocuments(db, 'space-acme');
      expect(acme.notes.map((note) => note.id)).toEqual(['note:0f4e2c7a-note-acme']);
      expect(acme.globalArticles.map((article) => article.id)).toEqual([GLOBAL_ARTICLE]);
    }

    // The palette finds records synced by any version, and documents from theirs on.
    if (n >= 17) expect(await loadIndex(db)).toMatchObject({ stale: false });
    const search = new SearchService(db);
    const titles = async (query: string) => (await search.search(query)).results.map((result) => (result.type === 'record' ? result.item.title : result.title));
    expect(await titles('globex')).toContain('Globex Café');
    expect(await titles('srv01')).toContain('NDG-SRV01');
    if (n >= 9) expect(await titles('door code')).toContain('The door code is in the key safe by reception.');
  });

  // The MSP's own articles were projected without a space key until 852b6c0 (v10's code put them
  // under '*'), and the projection is only written again when a document changes: v20 moves the
  // rows v9's code left, so a client's page and the overlay, which read them by that key, show them.
  it.runIf(n >= 9)('shows the MSP’s own articles on every client’s page and in the overlay', async () => {
    for (const spaceId of ['space-acme', 'space-stark', 'space-wayne']) {
      expect(
        (await spaceDocuments(db, spaceId)).globalArticles.map((article) => article.id),
        spaceId,
      ).toEqual([GLOBAL_ARTICLE]);
      expect(await overlayArticles(db, spaceId), spaceId).toEqual([{ id: GLOBAL_ARTICLE, title: 'Onboarding a new client', global: true }]);
    }
  });

  // Previews were kept under plain run ids until c6870e4 (the v16 and v17 fixtures are made by code
  // after it); the preview panel reads them by the key range `preview-…` since: v20 moves older ones
  // there, so a finished preview waiting to be applied, and one cut off by the update, still show.
  it.runIf(n >= 4)('still shows the preview waiting to be applied, and the one cut off', async () => {
    const done = fixture.tables.runs!.find((run) => run.dryRun && run.integrationId === CW)!;
    expect(done.status).toBe('succeeded');
    // The whole run, as it was: only its id is in the previews' range.
    expect(await latestPreview(db, CW)).toEqual({ ...done, id: inPreviewRange(done.id as string) });
    expect((await latestPreview(db, HALO))?.id).toBe(inPreviewRange(previewRunId(n)));
  });

  it('resumes the run that was cut off from where it stood, and loses no row', async () => {
    const before = (await db.records.toArray()) as RecordRow[];
    const psa = new FixturePsa(before);
    const scheduler = new SyncScheduler({ db, adapterFor: async (integrationId) => psa.adapterFor(integrationId), wakeAt: () => {} });
    const cut = (await db.runs.get(INTERRUPTED_RUN)) as RunRow;
    expect(cut).toMatchObject({ status: stoppedByPerson(n) ? 'stopped' : 'running', stepIndex: 1, pageToken: CUT_AT_TOKEN });
    // A stopped sync goes on when a person asks for one; a running one when the worker wakes.
    if (stoppedByPerson(n)) expect(await scheduler.requestSync(CW, 'manual')).toEqual({ runId: INTERRUPTED_RUN, alreadyRunning: false });
    await scheduler.kick();

    const run = (await db.runs.get(INTERRUPTED_RUN)) as RunRow;
    expect(run.status, run.error?.message).toBe('succeeded');
    const asked = (integrationId: string, entity: EntityKind) =>
      psa.calls.filter((call) => call.integrationId === integrationId && call.entity === entity).map(({ request }) => [request.since, request.pageToken]);
    // From the stored page on, not from the start: the step before it is not read again.
    expect(asked(CW, 'company')).toEqual([
      [null, CUT_AT_TOKEN],
      [null, String(Number(CUT_AT_TOKEN) + PAGE_SIZE)],
    ]);
    // The contacts' steps as planned: changes since the cursor (all three still alive changed since), then the whole list.
    expect(asked(CW, 'contact')).toEqual([
      [cut.steps[2]!.since, null],
      [cut.steps[2]!.since, String(PAGE_SIZE)],
      [null, null],
      [null, String(PAGE_SIZE)],
    ]);

    const after = (await db.records.toArray()) as RecordRow[];
    expect(after).toHaveLength(before.length);
    // Read before the cut (companies 1 and 2) or after it: all live; what the PSA lost, archived.
    expect(liveIds(after, CW, 'company')).toEqual(['1', '2', '3', '4', '5']);
    expect(liveIds(after, CW, 'contact')).toEqual(['10', '11', '12']);
    const archived = (integrationId: string, entity: EntityKind, remoteId: string) =>
      after.find((row) => recordKey(row) === `${integrationId}/${entity}/${remoteId}`);
    expect(archived(CW, 'company', '6')).toMatchObject({ archivedReason: 'deleted' });
    expect(archived(CW, 'contact', '13')).toMatchObject({ archivedReason: 'deleted' });
    // What the cut-off run wrote before the cut stays (company 1's new phone number).
    expect((archived(CW, 'company', '1')?.data as { phone?: string }).phone).toBe('+1 555 0199');
    for (const row of integrationRecords(after, CW).filter((row) => row.archivedAt === undefined)) {
      expect(row.data, recordKey(row)).toEqual(before.find((old) => recordKey(old) === recordKey(row))!.data);
    }
    expect(run.counts.company?.archived).toBe(1);
    expect(run.counts.contact?.archived).toBe(1);

    // The preview cut off with it finished too, writing nothing, and counts only what the PSA lost.
    if (n >= 4) {
      const preview = (await db.runs.get(inPreviewRange(previewRunId(n)))) as RunRow;
      expect(preview.status, preview.error?.message).toBe('succeeded');
      expect(asked(HALO, 'company').map(([, token]) => token)).toEqual([CUT_AT_TOKEN, String(Number(CUT_AT_TOKEN) + PAGE_SIZE)]);
      expect(preview.preview?.counts.archive).toBe(1);
      expect(preview.preview?.samples).toContainEqual({ entity: 'company', name: 'Tyrell Corp', change: 'archive', detail: 'deleted in the PSA' });
    }
    expect(integrationRecords(after, HALO)).toEqual(integrationRecords(before, HALO));
    expect(integrationRecords(after, BMS)).toEqual(integrationRecords(before, BMS));
    // Finished runs keep no marks.
    expect(await db.seenBatches.count()).toBe(0);
  });
});

import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { PsaError } from '@/lib/psa/errors';
import type {
  CanonicalCompany,
  CanonicalConfiguration,
  CanonicalContact,
  EntityCapabilities,
  EntityKind,
  PageRequest,
  PageResult,
  PsaAdapter,
} from '@/lib/psa/types';
import { runSlice } from '@/lib/sync/engine';
import { COMPANIES_FIRST_PER_RUN, whenReadFirst } from '@/lib/sync/company-first';
import { dropReadAhead, pageFor, readAhead } from '@/lib/sync/read-ahead';
import { SyncScheduler } from '@/lib/sync/scheduler';

/**
 * A company a technician opens during a long sync has its lists read first (#17): steps put ahead
 * of the run's current one, which then resumes from its own page token. Pages of two records, so
 * every list takes several slices.
 */
class MemoryPsa implements PsaAdapter {
  readonly kind = 'kaseya-bms' as const;
  readonly capabilities: Record<EntityKind, EntityCapabilities> = {
    company: { incremental: true, idsOnly: false },
    contact: { incremental: true, idsOnly: false },
    configuration: { incremental: false, idsOnly: false },
    agreement: { incremental: false, idsOnly: false, wholeListOnly: true },
    site: { incremental: false, idsOnly: false },
  };
  companies = new Map<string, CanonicalCompany>();
  contacts = new Map<string, CanonicalContact>();
  configurations = new Map<string, CanonicalConfiguration>();
  calls: { entity: EntityKind; request: PageRequest }[] = [];
  /** Holds every request until released (a page in flight). */
  gate: Promise<void> | undefined;
  unstableOnce = false;

  async testConnection() {
    return { companyName: 'Memory' };
  }
  async listPage<E extends EntityKind>(entity: E, request: PageRequest): Promise<PageResult<E>> {
    this.calls.push({ entity, request });
    await this.gate;
    const source: { remoteId: string; companyRemoteId?: string }[] =
      entity === 'company'
        ? [...this.companies.values()]
        : entity === 'contact'
          ? [...this.contacts.values()]
          : entity === 'configuration'
            ? [...this.configurations.values()]
            : [];
    const rows = source
      .filter((row) => entity === 'company' || !request.companyRemoteIds || request.companyRemoteIds.includes(row.companyRemoteId!))
      .sort((a, b) => Number(a.remoteId) - Number(b.remoteId));
    const offset = Number(request.pageToken ?? 0);
    const unstable = this.unstableOnce;
    this.unstableOnce = false;
    return {
      records: rows.slice(offset, offset + 2) as PageResult<E>['records'],
      rejected: [],
      nextPageToken: offset + 2 < rows.length ? String(offset + 2) : null,
      total: rows.length,
      ...(unstable ? { unstable } : {}),
    };
  }
  async getTicket(): Promise<never> {
    throw new PsaError('not-found', 'none');
  }
  recordUrl() {
    return undefined;
  }
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString();

let db: SidecarDb;
let psa: MemoryPsa;
let clock: number;
let scheduler: SyncScheduler;
const deps = () => ({ db, adapterFor: async () => psa, now: () => clock, wakeAt: () => {} });

async function runToEnd(runId: string, limit = 400) {
  for (let i = 0; i < limit; i++) {
    const outcome = await runSlice(deps(), runId);
    if (outcome === 'done') return;
    if (outcome === 'waiting') clock += 60 * 60_000;
  }
  throw new Error('run did not finish');
}

async function match(...ids: string[]) {
  for (const id of ids) {
    await db.clientSpaces.put({ id: `space-${id}`, name: `Company ${id}`, createdAt: 0 });
    await db.matches.put({ integrationId: 'i', companyRemoteId: id, state: 'matched', clientSpaceId: `space-${id}`, decidedAt: 0 });
  }
}

/** Companies synced and 1–3 matched: the next manual sync is the first to read their lists (contacts, then configurations). */
async function firstChildrenRun(): Promise<string> {
  await runToEnd((await scheduler.requestSync('i', 'manual')).runId);
  await match('1', '2', '3');
  psa.calls = [];
  return (await scheduler.requestSync('i', 'manual')).runId;
}

const contactsOf = async (company: string) =>
  (await db.records.where('[integrationId+entity+companyRemoteId]').equals(['i', 'contact', company]).toArray()).map((row) => row.remoteId).sort();
const callsFor = (entity: EntityKind) =>
  psa.calls.filter((call) => call.entity === entity).map((call) => [call.request.companyRemoteIds?.join(',') ?? '*', call.request.pageToken]);

beforeEach(async () => {
  db = new SidecarDb(`company-first-${Math.random()}`);
  await db.integrations.add({ id: 'i', psa: 'kaseya-bms', label: 'Memory', settings: {}, uiOrigin: 'https://x', origins: [], createdAt: 0 });
  psa = new MemoryPsa();
  for (let id = 1; id <= 14; id++) psa.companies.set(String(id), { remoteId: String(id), name: `Company ${id}`, types: [], updatedAt: at(id) });
  // Contacts 10–21: companies 1, 2 and 3 in turn (four each); configurations 30–35 likewise.
  for (let id = 10; id <= 21; id++)
    psa.contacts.set(String(id), { remoteId: String(id), companyRemoteId: String(1 + (id % 3)), name: `Contact ${id}`, updatedAt: at(id) });
  for (let id = 30; id <= 35; id++)
    psa.configurations.set(String(id), { remoteId: String(id), companyRemoteId: String(1 + (id % 3)), name: `Device ${id}`, typeName: 'Workstation' });
  clock = Date.parse('2026-11-22T00:00:00Z');
  scheduler = new SyncScheduler(deps());
});
afterEach(async () => {
  await db.delete();
});

describe('a company opened during a sync is read first', () => {
  it('reads its lists ahead of the current step, which then resumes from its own page', async () => {
    const runId = await firstChildrenRun();
    // Companies' changes, then contacts of all three matched companies, two pages in.
    while ((await db.runs.get(runId))!.progress?.entity !== 'contact') expect(await runSlice(deps(), runId)).toBe('more');
    expect(await runSlice(deps(), runId)).toBe('more');
    const before = (await db.runs.get(runId))!;
    expect(before).toMatchObject({ pageToken: '4', progress: { entity: 'contact', done: 4, total: 12 } });

    const first = await scheduler.readCompanyFirst('i', '3');
    expect(first).toEqual({ runId, entities: ['contact', 'configuration', 'site'] });
    const paused = (await db.runs.get(runId))!;
    expect(paused.pageToken).toBeNull();
    expect(paused.steps[paused.stepIndex]).toMatchObject({ entity: 'contact', scope: ['3'], first: true, sweep: false, expectedRequests: 1 });
    expect(paused.steps[paused.stepIndex + 3]).toMatchObject({ entity: 'contact', paused: { pageToken: '4', progress: { done: 4, total: 12 } } });
    expect(await db.log.where('runId').equals(runId).last()).toMatchObject({
      message: 'Reading Company 3’s contacts, configurations and sites first: it was opened in the PSA.',
    });

    // The next slices read company 3's contacts (two pages), configurations and sites (one each), then the paused step goes on from page 3.
    for (let slice = 0; slice < 4; slice++) expect(await runSlice(deps(), runId)).toBe('more');
    expect(await contactsOf('3')).toEqual(['11', '14', '17', '20']);
    const resumed = (await db.runs.get(runId))!;
    expect(resumed.steps[resumed.stepIndex]).toMatchObject({ entity: 'contact', scope: ['1', '2', '3'] });
    expect(resumed.steps[resumed.stepIndex]!.paused).toBeUndefined();
    expect(resumed).toMatchObject({ pageToken: '4', progress: { entity: 'contact', done: 4, total: 12 } });

    await runToEnd(runId);
    expect(callsFor('contact')).toEqual([
      ['1,2,3', null],
      ['1,2,3', '2'],
      ['3', null],
      ['3', '2'],
      ['1,2,3', '4'],
      ['1,2,3', '6'],
      ['1,2,3', '8'],
      ['1,2,3', '10'],
    ]);
    // Everything arrived once; the run's own steps still set the cursors, covering all three companies.
    expect(await db.records.where('[integrationId+entity+remoteId]').between(['i', 'contact', Dexie.minKey], ['i', 'contact', Dexie.maxKey]).count()).toBe(12);
    expect((await db.cursors.get(['i', 'contact']))?.coveredCompanyIds.sort()).toEqual(['1', '2', '3']);
    expect((await db.cursors.get(['i', 'configuration']))?.coveredCompanyIds.sort()).toEqual(['1', '2', '3']);
    expect((await db.runs.get(runId))?.status).toBe('succeeded');
  });

  it('asks once per company and run, and not for lists a sync has imported already', async () => {
    const runId = await firstChildrenRun();
    await runSlice(deps(), runId);
    expect((await scheduler.readCompanyFirst('i', '2'))?.entities).toEqual(['contact', 'configuration', 'site']);
    // Asked again while they are being read, and after: nothing more.
    expect((await scheduler.readCompanyFirst('i', '2'))?.entities).toEqual([]);
    for (let slice = 0; slice < 4; slice++) await runSlice(deps(), runId);
    expect((await scheduler.readCompanyFirst('i', '2'))?.entities).toEqual([]);
    await runToEnd(runId);
    expect(await scheduler.readCompanyFirst('i', '2')).toBeUndefined(); // no sync running

    // The next sync only reads changes of companies its cursors cover: nothing to read first.
    const resync = await scheduler.requestSync('i', 'schedule');
    expect((await scheduler.readCompanyFirst('i', '2'))?.entities).toEqual([]);
    await runToEnd(resync.runId);
  });

  it('reads only matched companies first, and at most ten per run unless a person asks', async () => {
    const runId = await firstChildrenRun();
    expect((await scheduler.readCompanyFirst('i', '9'))?.entities).toEqual([]); // not matched
    const more = Array.from({ length: COMPANIES_FIRST_PER_RUN + 1 }, (_, index) => String(index + 4));
    await match(...more);
    // Matched after the run was planned: it does not read them at all, so nothing waits for them.
    expect((await scheduler.readCompanyFirst('i', '4'))?.entities).toEqual([]);
    // A new run that reads them all.
    await scheduler.stop('i');
    await db.runs.update(runId, { status: 'failed' });
    const all = await scheduler.requestSync('i', 'manual');
    for (const id of more.slice(0, COMPANIES_FIRST_PER_RUN))
      expect((await scheduler.readCompanyFirst('i', id))?.entities).toEqual(['contact', 'configuration', 'site']);
    const eleventh = more.at(-1)!;
    expect(await scheduler.readCompanyFirst('i', eleventh)).toEqual({ runId: all.runId, entities: [], limited: true });
    // "Refresh now" (a person's click) is not limited.
    expect(await scheduler.requestCompanySync('i', eleventh)).toEqual({
      runId: all.runId,
      alreadyRunning: true,
      readFirst: ['contact', 'configuration', 'site'],
    });
  });

  it('puts every list it can read for one company ahead when a person asks, the whole-list-only ones left to the sync', async () => {
    const runId = await firstChildrenRun();
    await runSlice(deps(), runId);
    await match('7'); // matched in the overlay while the sync runs: no step of the run reads it
    const asked = await scheduler.requestCompanySync('i', '7');
    expect(asked).toEqual({ runId, alreadyRunning: true, readFirst: ['contact', 'configuration', 'site'] });
    expect(await db.log.where('runId').equals(runId).last()).toMatchObject({
      message: 'Reading Company 7’s contacts, configurations and sites first, as asked (Refresh now, Sync or Match).',
    });
    const run = (await db.runs.get(runId))!;
    expect(run.steps.slice(run.stepIndex, run.stepIndex + 3).map((step) => [step.entity, step.scope])).toEqual([
      ['contact', ['7']],
      ['configuration', ['7']],
      ['site', ['7']],
    ]);
    expect(run.steps.some((step) => step.entity === 'agreement' && step.scope?.length === 1)).toBe(false);
    const waited = whenReadFirst(db, runId, '7', { everyMs: 5 });
    for (let slice = 0; slice < 3; slice++) await runSlice(deps(), runId);
    await expect(waited).resolves.toBe(true);
    await runToEnd(runId);
    // It was not in the run's plan: its cursor coverage waits for the next sync, which reads it as new.
    expect((await db.cursors.get(['i', 'contact']))?.coveredCompanyIds).not.toContain('7');
  });

  it('does not commit a page fetched for the paused step as the first-read step’s', async () => {
    const runId = await firstChildrenRun();
    const stepOf = async () => (await db.runs.get(runId))!.steps[(await db.runs.get(runId))!.stepIndex]!;
    while ((await stepOf()).entity !== 'contact') await runSlice(deps(), runId); // companies' changes
    let release!: () => void;
    psa.gate = new Promise((resolve) => (release = resolve));
    const slice = runSlice(deps(), runId); // the contacts' first page, in flight
    await new Promise((resolve) => setTimeout(resolve, 5));
    await scheduler.readCompanyFirst('i', '1');
    psa.gate = undefined;
    release();
    expect(await slice).toBe('more');
    const run = (await db.runs.get(runId))!;
    expect(run.steps[run.stepIndex]).toMatchObject({ entity: 'contact', scope: ['1'], first: true });
    expect(run.pageToken).toBeNull();
    // Nothing of the page in flight was written: company 1's contacts come from its own step next.
    expect(await db.records.where('[integrationId+entity+remoteId]').between(['i', 'contact', Dexie.minKey], ['i', 'contact', Dexie.maxKey]).count()).toBe(0);
    await runSlice(deps(), runId);
    expect(callsFor('contact').at(-1)).toEqual(['1', null]);
    expect(await contactsOf('1')).toEqual(['12', '15']);
  });

  it('keeps the paused step’s unstable pages unswept after it resumes', async () => {
    const runId = await firstChildrenRun();
    const stepOf = async () => (await db.runs.get(runId))!.steps[(await db.runs.get(runId))!.stepIndex]!;
    while ((await stepOf()).entity !== 'contact') await runSlice(deps(), runId);
    psa.unstableOnce = true;
    await runSlice(deps(), runId); // contacts page 1: the list shifted
    await scheduler.readCompanyFirst('i', '2');
    expect((await db.runs.get(runId))?.unstable).toBeUndefined();
    await runToEnd(runId);
    const log = await db.log.where('runId').equals(runId).toArray();
    expect(log.some((entry) => entry.message.startsWith("The PSA's contact list changed while it was read"))).toBe(true);
  });
});

describe('read-ahead of a paused step', () => {
  it('keeps the pages read ahead for the paused step and resumes with them', async () => {
    for (let id = 22; id <= 29; id++) psa.contacts.set(String(id), { remoteId: String(id), companyRemoteId: '1', name: `Contact ${id}` });
    const main = { since: null, companyRemoteIds: ['1', '2', '3'], idsOnly: false };
    await pageFor('run', psa, 'contact', { ...main, pageToken: null });
    readAhead('run', psa, 'contact', { ...main, pageToken: '2' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(psa.calls.map((call) => call.request.pageToken)).toEqual([null, '2', '4']);
    // A company read first: a fresh read of its own, the paused step's pages kept.
    await pageFor('run', psa, 'contact', { since: null, companyRemoteIds: ['2'], idsOnly: false, pageToken: null });
    expect(psa.calls).toHaveLength(4);
    expect((await pageFor('run', psa, 'contact', { ...main, pageToken: '2' })).records.map((row) => row.remoteId)).toEqual(['12', '13']);
    expect((await pageFor('run', psa, 'contact', { ...main, pageToken: '4' })).records.map((row) => row.remoteId)).toEqual(['14', '15']);
    // Taken from what was kept (not asked again); reading ahead goes on from there.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(psa.calls.slice(4).map((call) => call.request.pageToken)).toEqual(['6', '8']);
    dropReadAhead('run');
  });
});

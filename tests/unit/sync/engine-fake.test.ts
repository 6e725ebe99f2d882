import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { PsaError } from '@/lib/psa/errors';
import type { CanonicalCompany, CanonicalContact, EntityKind, PageRequest, PageResult, PsaAdapter } from '@/lib/psa/types';
import { runSlice } from '@/lib/sync/engine';
import { dropReadAhead, pageFor, readAhead } from '@/lib/sync/read-ahead';
import { SyncScheduler } from '@/lib/sync/scheduler';
import { runTimeLeft } from '@/lib/sync/eta';

/**
 * Engine invariants against a small in-memory PSA: pages of two, so every run takes several
 * slices and the resume point matters.
 */
class MemoryPsa implements PsaAdapter {
  readonly kind = 'connectwise' as const;
  readonly listPageSize = 2;
  readonly capabilities = {
    company: { incremental: true, idsOnly: true },
    contact: { incremental: true, idsOnly: true },
    configuration: { incremental: true, idsOnly: true },
    agreement: { incremental: true, idsOnly: true },
    site: { incremental: false, idsOnly: false },
  };
  companies = new Map<string, CanonicalCompany>();
  contacts = new Map<string, CanonicalContact>();
  calls: { entity: EntityKind; request: PageRequest }[] = [];
  failNext: PsaError | undefined;

  async testConnection() {
    return { companyName: 'Memory' };
  }
  async listPage<E extends EntityKind>(entity: E, request: PageRequest): Promise<PageResult<E>> {
    this.calls.push({ entity, request });
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    const source = entity === 'company' ? [...this.companies.values()] : entity === 'contact' ? [...this.contacts.values()] : [];
    const rows = source
      .filter((row) => !request.since || (row.updatedAt ?? '') >= request.since)
      .filter((row) => entity === 'company' || !request.companyRemoteIds || request.companyRemoteIds.includes((row as CanonicalContact).companyRemoteId))
      .sort((a, b) => Number(a.remoteId) - Number(b.remoteId));
    const offset = Number(request.pageToken ?? 0);
    const page = rows.slice(offset, offset + 2);
    return {
      records: (request.idsOnly ? page.map((row) => ({ remoteId: row.remoteId })) : page) as PageResult<E>['records'],
      rejected: [],
      nextPageToken: offset + 2 < rows.length ? String(offset + 2) : null,
      total: rows.length,
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

async function runToEnd(runId: string, limit = 200) {
  for (let i = 0; i < limit; i++) {
    const outcome = await runSlice(deps(), runId);
    if (outcome === 'done') return;
    if (outcome === 'waiting') clock += 60 * 60_000;
  }
  throw new Error('run did not finish');
}

beforeEach(async () => {
  db = new SidecarDb(`engine-${Math.random()}`);
  await db.integrations.add({ id: 'i', psa: 'connectwise', label: 'Memory', settings: {}, uiOrigin: 'https://x', origins: [], createdAt: 0 });
  psa = new MemoryPsa();
  for (let id = 1; id <= 5; id++) psa.companies.set(String(id), { remoteId: String(id), name: `Company ${id}`, types: [], updatedAt: at(id) });
  for (let id = 10; id <= 16; id++) {
    psa.contacts.set(String(id), { remoteId: String(id), companyRemoteId: String(1 + (id % 2)), name: `Contact ${id}`, updatedAt: at(id) });
  }
  clock = Date.parse('2026-11-22T00:00:00Z');
  scheduler = new SyncScheduler(deps());
});
afterEach(async () => {
  await db.delete();
});

const liveRows = (entity: EntityKind) =>
  db.records
    .where('[integrationId+entity+remoteId]')
    .between(['i', entity, Dexie.minKey], ['i', entity, Dexie.maxKey])
    .filter((row) => row.archivedAt === undefined)
    .toArray();

describe('sync engine', () => {
  it('imports companies first, then only the matched companies’ children', async () => {
    await runToEnd((await scheduler.requestSync('i', 'manual')).runId);
    expect((await liveRows('company')).map((row) => row.remoteId).sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(await liveRows('contact')).toEqual([]);

    await db.clientSpaces.add({ id: 'space', name: 'Company 1', createdAt: 0 });
    await db.matches.add({ integrationId: 'i', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space', decidedAt: 0 });
    await runToEnd((await scheduler.requestSync('i', 'manual')).runId);
    const contacts = await liveRows('contact');
    expect(contacts.map((row) => row.remoteId).sort()).toEqual(['10', '12', '14', '16']);
    expect(contacts.every((row) => row.layoutId === 'layout-people')).toBe(true);
    // User data is untouched by syncs.
    expect(await db.clientSpaces.count()).toBe(1);
    expect(await db.matches.get(['i', '1'])).toMatchObject({ state: 'matched', clientSpaceId: 'space' });
  });

  it('keeps where a run’s time went: fetching pages and writing them', async () => {
    const slow = psa.listPage.bind(psa);
    psa.listPage = async (entity, request) => {
      await new Promise((resolve) => setTimeout(resolve, 15));
      return slow(entity, request);
    };
    const { runId } = await scheduler.requestSync('i', 'manual');
    await runToEnd(runId);
    const run = await db.runs.get(runId);
    // Three pages of companies, each fetched in at least 15 ms; writes take some time too.
    expect(psa.calls).toHaveLength(3);
    expect(run?.timing?.fetchMs).toBeGreaterThanOrEqual(3 * 14);
    expect(run?.timing?.writeMs).toBeGreaterThan(0);
    // Apart: each slice's reads before its fetch, and the write transactions to their commit (the last one's is not kept).
    expect(run?.timing?.setupMs).toBeGreaterThan(0);
    expect(run?.timing?.commitMs).toBeGreaterThan(0);
  });

  it('resumes from its committed page after a crash, with no duplicates and a cursor that only moves forward', async () => {
    const { runId } = await scheduler.requestSync('i', 'manual');
    await runSlice(deps(), runId); // page 1 committed
    psa.failNext = new PsaError('unreachable', 'network down');
    expect(await runSlice(deps(), runId)).toBe('waiting');
    const waiting = await db.runs.get(runId);
    expect(waiting).toMatchObject({ status: 'running', attempts: 1, pageToken: '2' });
    expect(waiting!.retryAt).toBeGreaterThan(clock);
    // A fresh engine (a restarted worker) picks up where the commit left off.
    clock = waiting!.retryAt!;
    await runToEnd(runId);
    expect(psa.calls.filter((call) => call.entity === 'company').map((call) => call.request.pageToken)).toEqual([null, '2', '2', '4']);
    expect(await db.records.count()).toBe(5);
    const cursor = await db.cursors.get(['i', 'company']);
    expect(cursor?.highWater).toBe(at(5));

    psa.companies.get('3')!.name = 'Renamed';
    psa.companies.get('3')!.updatedAt = at(30);
    await runToEnd((await scheduler.requestSync('i', 'schedule')).runId);
    expect((await db.records.get(['i', 'company', '3']))?.data).toMatchObject({ name: 'Renamed' });
    expect((await db.cursors.get(['i', 'company']))?.highWater).toBe(at(30));
  });

  it('archives records a complete pass no longer sees, and never on an incomplete one', async () => {
    await runToEnd((await scheduler.requestSync('i', 'manual')).runId);
    psa.companies.delete('4');
    const { runId } = await scheduler.requestSync('i', 'manual');
    psa.failNext = new PsaError('auth', 'keys revoked');
    await runSlice(deps(), runId);
    expect(await db.runs.get(runId)).toMatchObject({ status: 'failed', error: { code: 'auth' } });
    expect((await db.records.get(['i', 'company', '4']))?.archivedAt).toBeUndefined();

    await runToEnd((await scheduler.requestSync('i', 'manual')).runId);
    expect((await db.records.get(['i', 'company', '4']))?.archivedAt).toBe(clock);
    expect(await db.records.count()).toBe(5); // archived, not deleted
  });

  it('applying the same page twice changes nothing', async () => {
    const { runId } = await scheduler.requestSync('i', 'manual');
    const before = await db.runs.get(runId);
    await runSlice(deps(), runId);
    const afterFirst = await db.records.toArray();
    // Replay the same slice from the old resume point: the guard refuses to apply it again.
    await db.runs.put(before!);
    await runSlice(deps(), runId);
    expect(await db.records.toArray()).toEqual(afterFirst);
  });

  it('two requests while a run is active share that run', async () => {
    const [first, second] = await Promise.all([scheduler.requestSync('i', 'manual'), scheduler.requestSync('i', 'schedule')]);
    expect(first.runId).toBe(second.runId);
    expect([first.alreadyRunning, second.alreadyRunning].sort()).toEqual([false, true]);
    expect(await db.runs.count()).toBe(1);
  });
});

describe('a long list read whole at the pace the API share allows (#17: Kaseya BMS assets)', () => {
  it('scheduled syncs read it whole only once its spacing has passed, and newly matched companies’ part in between', async () => {
    // Contacts stand in for BMS's assets: no change filter, two per request; one request a minute allowed.
    (psa.capabilities as Record<string, unknown>).contact = { incremental: false, idsOnly: false, pacedWhole: { pageSize: 2 } };
    const paced = new SyncScheduler({ ...deps(), pacingOf: () => ({ limit: { limit: 1, windowMs: 60_000, per: 'api' as const }, share: 1 }) });
    const match = (companyRemoteId: string) =>
      db.matches.put({ integrationId: 'i', companyRemoteId, state: 'matched', clientSpaceId: `space-${companyRemoteId}`, decidedAt: 0 });
    const contactReads = () => psa.calls.filter((call) => call.entity === 'contact').map((call) => call.request.companyRemoteIds);
    const sync = async (trigger: 'manual' | 'schedule') => {
      psa.calls = [];
      await runToEnd((await paced.requestSync('i', trigger)).runId);
      return contactReads();
    };

    await runToEnd((await paced.requestSync('i', 'manual')).runId); // companies
    await match('1');
    // Read whole: company 1's 4 contacts, 2 requests, 2 minutes at the pace: whole again after 8.
    expect(await sync('manual')).toEqual([['1'], ['1']]);
    expect(await db.cursors.get(['i', 'contact'])).toMatchObject({ lastFullPassRecords: 4, coveredCompanyIds: ['1'] });

    clock += 60_000;
    expect(await sync('schedule')).toEqual([]);
    await match('2');
    clock += 60_000;
    expect(await sync('schedule')).toEqual([['2'], ['2']]);
    expect((await liveRows('contact')).map((row) => row.remoteId).sort()).toEqual(['10', '11', '12', '13', '14', '15', '16']);

    clock += 8 * 60_000;
    expect(await sync('schedule')).toEqual([
      ['1', '2'],
      ['1', '2'],
      ['1', '2'],
      ['1', '2'],
    ]);
  });
});

describe('what a run’s time left is worked out from (#17)', () => {
  it('a run keeps its pace, what each step should cost and the pacer’s window as it goes', async () => {
    const limit = { limit: 10, windowMs: 60_000, per: 'api' as const };
    const paced = new SyncScheduler({ ...deps(), pacingOf: () => ({ limit, share: 0.5 }) });
    const first = await paced.requestSync('i', 'manual');
    const started = clock;
    // Nothing read yet: the company list's size is not known.
    expect((await db.runs.get(first.runId))?.steps.map((step) => step.expectedRequests)).toEqual([undefined]);
    for (let page = 0; page < 3; page++) {
      await runSlice(deps(), first.runId);
      clock += 1_000;
    }
    const done = await db.runs.get(first.runId);
    expect(done?.status).toBe('succeeded');
    expect(done?.pace).toMatchObject({ limit, share: 0.5, pageSize: 2, window: { entity: 'company', startedAt: started, requests: 3 } });
    // What each page cost per request: the slice's reads, its wait for the page, the last commit.
    expect(done?.pace?.listPageCosts).toHaveLength(3);
    expect(done?.pace?.listPageCosts?.every((cost) => cost > 0)).toBe(true);
    expect(done?.timing?.requests).toBe(3);

    await db.matches.put({ integrationId: 'i', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space-1', decidedAt: 0 });
    clock += 60_000;
    const second = await paced.requestSync('i', 'manual');
    const run = await db.runs.get(second.runId);
    // The last finished run lends what its requests cost and the window it left.
    expect(run?.pace).toMatchObject({ listPageCosts: done?.pace?.listPageCosts, window: done?.pace?.window });
    // Companies changed since the cursor (a page, as a rule), the deletion pass over the 5 the last
    // one read (3 pages of 2), then company 1's lists (one company: a page each).
    expect(run?.steps.map((step) => [step.entity, step.mode, step.expectedRequests])).toEqual([
      ['company', 'changes', 1],
      ['company', 'ids', 3],
      ['contact', 'changes', 1],
      ['configuration', 'changes', 1],
      ['agreement', 'changes', 1],
      ['site', 'changes', 1],
    ]);
    await runSlice(deps(), second.runId);
    await runSlice(deps(), second.runId);
    await runSlice(deps(), second.runId);
    const going = (await db.runs.get(second.runId))!;
    // A new window (the last was a minute ago), three requests into it, and a figure for what is left.
    expect(going.pace?.window).toEqual({ entity: 'company', startedAt: clock, requests: 3 });
    expect(runTimeLeft(going, clock)).toMatchObject({ uncounted: 0 });
    // The share lowered during the run: its next page's commit keeps the new one.
    await runSlice({ ...deps(), pacingOf: () => ({ limit, share: 0.2 }) }, second.runId);
    expect((await db.runs.get(second.runId))?.pace).toMatchObject({ share: 0.2, pageSize: 2, window: { requests: 4 } });
  });
});

describe('stopping a sync and turning an integration off (#16)', () => {
  it('a stopped sync keeps what it committed, drops the slice in flight and goes on from its last commit at the next start', async () => {
    const { runId } = await scheduler.requestSync('i', 'manual');
    expect(await runSlice(deps(), runId)).toBe('more'); // companies 1 and 2 committed
    // Stopped while the next page is being read: that page is not committed.
    const original = psa.listPage.bind(psa);
    psa.listPage = async (entity, request) => {
      expect(await scheduler.stop('i')).toEqual({ stopped: true });
      return original(entity, request);
    };
    await runSlice(deps(), runId); // its commit finds the run stopped and writes nothing
    expect(await runSlice(deps(), runId)).toBe('done');
    psa.listPage = original;
    expect(await db.runs.get(runId)).toMatchObject({ status: 'stopped', stepIndex: 0, pageToken: '2' });
    expect((await liveRows('company')).map((row) => row.remoteId).sort()).toEqual(['1', '2']);
    expect(await scheduler.stop('i')).toEqual({ stopped: false });

    psa.calls = [];
    const resumed = await scheduler.requestSync('i', 'manual');
    expect(resumed).toEqual({ runId, alreadyRunning: false });
    await runToEnd(runId);
    expect(psa.calls[0]?.request.pageToken).toBe('2'); // not from the first page again
    expect((await liveRows('company')).map((row) => row.remoteId).sort()).toEqual(['1', '2', '3', '4', '5']);
    expect((await db.runs.get(runId))?.status).toBe('succeeded');
  });

  it('a turned-off integration refuses to sync until it is turned on', async () => {
    await db.integrations.update('i', { disabled: true });
    await expect(scheduler.requestSync('i', 'manual')).rejects.toThrow('Memory is turned off: turn it on to sync it.');
    await expect(scheduler.requestSync('i', 'schedule')).rejects.toThrow('turned off');
    expect(await db.runs.count()).toBe(0);
    await db.integrations.update('i', { disabled: undefined });
    await expect(scheduler.requestSync('i', 'manual')).resolves.toMatchObject({ alreadyRunning: false });
  });
});

describe('reading ahead (the extension worker’s engine)', () => {
  const ahead = () => ({ ...deps(), readAhead: true });
  async function runAheadToEnd(runId: string) {
    for (let i = 0; i < 200; i++) {
      const outcome = await runSlice(ahead(), runId);
      if (outcome === 'done') return;
      if (outcome === 'waiting') clock += 60 * 60_000;
    }
    throw new Error('run did not finish');
  }

  it('asks for the next page before this one commits, asks nothing twice, and ends with the same data', async () => {
    const committedTokenAtCall: (string | null | undefined)[] = [];
    const list = psa.listPage.bind(psa);
    psa.listPage = async (entity, request) => {
      committedTokenAtCall.push((await db.runs.toArray()).find((run) => run.status === 'running')?.pageToken);
      return list(entity, request);
    };
    const { runId } = await scheduler.requestSync('i', 'manual');
    await runAheadToEnd(runId);
    // Pages "0", "2", "4", each asked once, each before the one before it was committed, and at
    // most two pages ahead of the resume point (lib/sync/read-ahead.ts).
    const tokens = [null, '2', '4'];
    expect(psa.calls.map((call) => call.request.pageToken)).toEqual(tokens);
    const ahead = committedTokenAtCall.map((committed, index) => index - tokens.indexOf(committed ?? null));
    expect(ahead[0]).toBe(0);
    for (const pages of ahead.slice(1)) expect(pages === 1 || pages === 2).toBe(true);
    expect((await liveRows('company')).map((row) => row.remoteId).sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(await db.runs.get(runId)).toMatchObject({ status: 'succeeded' });
  });

  it('asks for the next step’s first page while the step before it commits its last, and nothing twice', async () => {
    await runAheadToEnd((await scheduler.requestSync('i', 'manual')).runId);
    await db.clientSpaces.add({ id: 'space', name: 'Company 1', createdAt: 0 });
    await db.matches.add({ integrationId: 'i', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space', decidedAt: 0 });
    psa.calls = [];
    const stepAtCall: number[] = [];
    const list = psa.listPage.bind(psa);
    psa.listPage = async (entity, request) => {
      stepAtCall.push((await db.runs.toArray()).find((run) => run.status === 'running')!.stepIndex);
      return list(entity, request);
    };
    const { runId } = await scheduler.requestSync('i', 'manual');
    await runAheadToEnd(runId);
    const run = (await db.runs.get(runId))!;
    expect(run.status).toBe('succeeded');
    // Each step's first request (its page token null) went out before the step before it had committed its last page.
    const starts = psa.calls.flatMap((call, index) => (call.request.pageToken === null ? [index] : []));
    expect(starts).toHaveLength(run.steps.length);
    starts.forEach((callIndex, stepIndex) => expect(stepAtCall[callIndex]).toBe(Math.max(0, stepIndex - 1)));
    const asked = psa.calls.map((call) => JSON.stringify([call.entity, call.request]));
    expect(new Set(asked).size).toBe(asked.length);
    expect((await liveRows('contact')).map((row) => row.remoteId).sort()).toEqual(['10', '12', '14', '16']);
  });

  it('a page read ahead that failed is that slice’s failure; the retry asks again', async () => {
    const { runId } = await scheduler.requestSync('i', 'manual');
    psa.failNext = undefined;
    const list = psa.listPage.bind(psa);
    psa.listPage = async (entity, request) => {
      if (request.pageToken === '2' && !psa.calls.some((call) => call.request.pageToken === '2')) {
        psa.calls.push({ entity, request });
        throw new PsaError('unreachable', 'network down');
      }
      return list(entity, request);
    };
    expect(await runSlice(ahead(), runId)).toBe('more'); // page "0" committed; page "2" failed meanwhile
    expect(await runSlice(ahead(), runId)).toBe('waiting');
    expect(await db.runs.get(runId)).toMatchObject({ status: 'running', attempts: 1, pageToken: '2', error: { code: 'unreachable' } });
    clock = (await db.runs.get(runId))!.retryAt!;
    await runAheadToEnd(runId);
    expect(psa.calls.filter((call) => call.request.pageToken === '2')).toHaveLength(2);
    expect((await liveRows('company')).map((row) => row.remoteId).sort()).toEqual(['1', '2', '3', '4', '5']);
  });

  it('a page read ahead for another resume point is not used (the commit it followed did not land)', async () => {
    const { runId } = await scheduler.requestSync('i', 'manual');
    expect(await runSlice(ahead(), runId)).toBe('more'); // page "0" committed, pages "2" and "4" read ahead
    await vi.waitFor(() => expect(psa.calls).toHaveLength(3));
    // The resume point moves back, as after a rolled-back commit: page "0" again, read afresh.
    await db.runs.update(runId, { pageToken: null });
    expect(await runSlice(ahead(), runId)).toBe('more');
    await vi.waitFor(() => expect(psa.calls.map((call) => call.request.pageToken)).toEqual([null, '2', '4', null, '2', '4']));
    await runAheadToEnd(runId);
    expect((await liveRows('company')).map((row) => row.remoteId).sort()).toEqual(['1', '2', '3', '4', '5']);
  });

  it('reads at most two pages ahead, one request at a time, and asks the next as the slice takes one', async () => {
    // Ten pages; each answers only when the test lets it, so what is in flight can be counted.
    const asked: (string | null)[] = [];
    const answers: (() => void)[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const paged = new MemoryPsa();
    paged.listPage = <E extends EntityKind>(_entity: E, request: PageRequest) => {
      asked.push(request.pageToken);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const at = Number(request.pageToken ?? 0);
      return new Promise<PageResult<E>>((resolve) =>
        answers.push(() => {
          inFlight -= 1;
          resolve({ records: [], rejected: [], nextPageToken: at < 9 ? String(at + 1) : null });
        }),
      );
    };
    const request = (pageToken: string | null): PageRequest => ({ pageToken, since: null, companyRemoteIds: null });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    readAhead('chain', paged, 'contact', request('1'));
    await settle();
    expect(asked).toEqual(['1']);
    answers.shift()!();
    await settle();
    expect(asked).toEqual(['1', '2']); // asked as soon as page 1 answered
    answers.shift()!();
    await settle();
    expect(asked).toEqual(['1', '2']); // two ahead: no more until the slice takes one
    const page = await pageFor('chain', paged, 'contact', request('1'));
    expect(page.nextPageToken).toBe('2');
    await settle();
    expect(asked).toEqual(['1', '2', '3']);
    // The engine then reads ahead from the page after the one it took: already asked, not asked again.
    readAhead('chain', paged, 'contact', request('2'));
    await settle();
    expect(asked).toEqual(['1', '2', '3']);
    expect(mostInFlight).toBe(1);
    answers.shift()!();
    dropReadAhead('chain');
    await settle();
    expect(asked).toEqual(['1', '2', '3']); // a dropped run's pages stop
  });

  it('a page read ahead serves only the very same request: same page token, another company scope is read afresh', async () => {
    // The first pages asked (what follows them is read ahead too, and not counted here).
    const firstPages = () => psa.calls.filter((call) => call.request.pageToken === null).map((call) => call.request.companyRemoteIds);
    readAhead('r', psa, 'contact', { pageToken: null, since: null, companyRemoteIds: ['1', '2'] });
    await pageFor('r', psa, 'contact', { pageToken: null, since: null, companyRemoteIds: ['1', '3'] });
    expect(firstPages()).toEqual([
      ['1', '2'],
      ['1', '3'],
    ]);
    readAhead('r', psa, 'contact', { pageToken: null, since: null, companyRemoteIds: ['1', '2'] });
    await pageFor('r', psa, 'contact', { pageToken: null, since: null, companyRemoteIds: ['1', '2'] });
    expect(firstPages()).toHaveLength(3);
  });
});

import { describe, expect, it } from 'vitest';
import { CURSOR_OVERLAP_MS, DETAILS_PER_RUN, DETAILS_REFRESH_MS, planRun, RECONCILE_EVERY_MS } from '@/lib/sync/plan';
import type { CursorRow } from '@/lib/db/schema';
import type { EntityCapabilities, EntityKind } from '@/lib/psa/types';

const caps = (site: EntityCapabilities = { incremental: false, idsOnly: false }): Record<EntityKind, EntityCapabilities> => ({
  company: { incremental: true, idsOnly: true },
  contact: { incremental: true, idsOnly: true },
  configuration: { incremental: true, idsOnly: true },
  agreement: { incremental: true, idsOnly: true },
  site,
});
const now = Date.parse('2026-11-22T12:00:00Z');
const cursor = (entity: EntityKind, coveredCompanyIds: string[], highWater = '2026-11-22T10:00:00.000Z'): CursorRow => ({
  integrationId: 'i',
  entity,
  highWater,
  coveredCompanyIds,
  lastFullPassAt: now - 1000,
});

describe('planRun', () => {
  it('gives every step over all matched companies the same list, which a stored run keeps once', async () => {
    const matched = Array.from({ length: 2000 }, (_, index) => String(index + 1));
    const all = (entity: EntityKind) => cursor(entity, matched);
    const steps = planRun({
      capabilities: caps({ incremental: true, idsOnly: true }),
      cursors: { company: all('company'), contact: all('contact'), configuration: all('configuration'), agreement: all('agreement'), site: all('site') },
      matchedCompanyIds: matched,
      now,
      reconcile: true,
    });
    const scoped = steps.filter((step) => step.scope);
    expect(scoped.length).toBeGreaterThanOrEqual(8);
    expect(new Set(scoped.map((step) => step.scope)).size).toBe(1);
    // IndexedDB's structured clone keeps a shared list shared: stored once, read back once.
    const copy = structuredClone(steps);
    expect(new Set(copy.filter((step) => step.scope).map((step) => step.scope)).size).toBe(1);
  });

  it('first sync: a full company pass and nothing else while no company is matched', () => {
    const steps = planRun({ capabilities: caps(), cursors: {}, matchedCompanyIds: [], now, reconcile: false });
    expect(steps).toEqual([{ entity: 'company', mode: 'changes', since: null, scope: null, sweep: true, fullPass: true }]);
  });

  it('after matching: incremental companies, full passes for the newly matched companies children', () => {
    const steps = planRun({
      capabilities: caps(),
      cursors: { company: cursor('company', []) },
      matchedCompanyIds: ['12', '3'],
      now,
      reconcile: false,
    });
    expect(steps[0]).toEqual({
      entity: 'company',
      mode: 'changes',
      since: new Date(Date.parse('2026-11-22T10:00:00.000Z') - CURSOR_OVERLAP_MS).toISOString(),
      scope: null,
      sweep: false,
      fullPass: false,
    });
    expect(steps.slice(1).map((step) => [step.entity, step.since, step.scope])).toEqual([
      ['contact', null, ['3', '12']],
      ['configuration', null, ['3', '12']],
      ['agreement', null, ['3', '12']],
      ['site', null, ['3', '12']],
    ]);
  });

  it('splits known and newly matched companies, and reconciles only when due', () => {
    const cursors = { company: cursor('company', []), contact: cursor('contact', ['1']) };
    const steps = planRun({ capabilities: caps(), cursors, matchedCompanyIds: ['1', '2'], now, reconcile: false }).filter((step) => step.entity === 'contact');
    expect(steps.map((step) => [step.mode, step.since === null, step.scope, step.sweep])).toEqual([
      ['changes', true, ['2'], true],
      ['changes', false, ['1'], false],
    ]);
    const stale = { ...cursors, contact: { ...cursors.contact, lastFullPassAt: now - RECONCILE_EVERY_MS } };
    const due = planRun({ capabilities: caps(), cursors: stale, matchedCompanyIds: ['1', '2'], now, reconcile: false }).filter(
      (step) => step.entity === 'contact',
    );
    expect(due.at(-1)).toEqual({ entity: 'contact', mode: 'ids', since: null, scope: ['1', '2'], sweep: true, fullPass: true });
  });

  it('manual resyncs look for deletions; entities without timestamps always get a full pass', () => {
    const cursors = { company: cursor('company', []), site: cursor('site', ['1']) };
    const steps = planRun({ capabilities: caps(), cursors, matchedCompanyIds: ['1'], now, reconcile: true });
    expect(steps.filter((step) => step.entity === 'company').map((step) => step.mode)).toEqual(['changes', 'ids']);
    expect(steps.filter((step) => step.entity === 'site')).toEqual([
      { entity: 'site', mode: 'changes', since: null, scope: ['1'], sweep: true, fullPass: true },
    ]);
  });
});

describe('lists read whole per company (ConnectWise sites)', () => {
  const caps = { incremental: false, idsOnly: false, wholeOnReconcile: true };
  const capabilities = { company: { incremental: true, idsOnly: true }, contact: caps, configuration: caps, agreement: caps, site: caps };
  const cursor = (coveredCompanyIds: string[], lastFullPassAt: number) => ({
    integrationId: 'i',
    entity: 'site' as const,
    coveredCompanyIds,
    lastFullPassAt,
    highWater: '2026-01-01T00:00:00Z',
  });
  const now = Date.parse('2026-11-29T12:00:00Z');

  it('are read whole on a reconcile, only for newly matched companies otherwise', () => {
    const fresh = planRun({ capabilities, cursors: { site: cursor(['1', '2'], now - 60_000) }, matchedCompanyIds: ['1', '2', '3'], now, reconcile: false });
    expect(fresh.filter((step) => step.entity === 'site')).toEqual([
      { entity: 'site', mode: 'changes', since: null, scope: ['3'], sweep: true, fullPass: false, extendsCoverage: true },
    ]);
    const none = planRun({ capabilities, cursors: { site: cursor(['1', '2'], now - 60_000) }, matchedCompanyIds: ['1', '2'], now, reconcile: false });
    expect(none.filter((step) => step.entity === 'site')).toEqual([]);
    const manual = planRun({ capabilities, cursors: { site: cursor(['1', '2'], now - 60_000) }, matchedCompanyIds: ['1', '2'], now, reconcile: true });
    expect(manual.filter((step) => step.entity === 'site')).toEqual([
      { entity: 'site', mode: 'changes', since: null, scope: ['1', '2'], sweep: true, fullPass: true },
    ]);
    const daily = planRun({ capabilities, cursors: { site: cursor(['1', '2'], now - 25 * 3_600_000) }, matchedCompanyIds: ['1', '2'], now, reconcile: false });
    expect(daily.filter((step) => step.entity === 'site')).toHaveLength(1);
  });
});

describe('long lists read whole at the pace the API share allows (Kaseya BMS assets)', () => {
  const paced = { incremental: false, idsOnly: false, pacedWhole: { pageSize: 100 } };
  const capabilities = {
    company: { incremental: true, idsOnly: false },
    contact: { incremental: true, idsOnly: false },
    configuration: paced,
    agreement: paced,
    site: paced,
  };
  const now = Date.parse('2026-12-07T12:00:00Z');
  const hours = (count: number) => count * 3_600_000;
  const cursor = (coveredCompanyIds: string[], lastFullPassAt: number) => ({
    integrationId: 'i',
    entity: 'configuration' as const,
    coveredCompanyIds,
    lastFullPassAt,
    lastFullPassRecords: 115_300,
  });
  const assets = (input: { cursor?: ReturnType<typeof cursor>; matched?: string[]; everyMs?: number; reconcile?: boolean }) =>
    planRun({
      capabilities,
      cursors: input.cursor ? { configuration: input.cursor } : {},
      matchedCompanyIds: input.matched ?? ['1', '2'],
      now,
      reconcile: input.reconcile ?? false,
      ...(input.everyMs !== undefined ? { wholeReadEveryMs: { configuration: input.everyMs } } : {}),
    }).filter((step) => step.entity === 'configuration');
  const whole = { entity: 'configuration', mode: 'changes', since: null, scope: ['1', '2'], sweep: true, fullPass: true };

  it('reads the list whole the first time, and again once its spacing has passed', () => {
    expect(assets({})).toEqual([whole]);
    expect(assets({ cursor: cursor(['1', '2'], now - hours(7)), everyMs: hours(6) })).toEqual([whole]);
  });

  it('within its spacing, reads only the newly matched companies’ assets (nothing when there are none)', () => {
    expect(assets({ cursor: cursor(['1'], now - hours(2)), everyMs: hours(6) })).toEqual([
      { entity: 'configuration', mode: 'changes', since: null, scope: ['2'], sweep: true, fullPass: false, extendsCoverage: true },
    ]);
    expect(assets({ cursor: cursor(['1', '2'], now - hours(2)), everyMs: hours(6) })).toEqual([]);
  });

  it('reads it whole on every sync a person starts, and on every scheduled one when the list is short (or its cost unknown)', () => {
    expect(assets({ cursor: cursor(['1', '2'], now - hours(2)), everyMs: hours(6), reconcile: true })).toEqual([whole]);
    expect(assets({ cursor: cursor(['1', '2'], now - hours(2)), everyMs: hours(1) })).toEqual([whole]);
    expect(assets({ cursor: cursor(['1', '2'], now - hours(2)) })).toEqual([whole]);
  });
});

describe('planRun: companies’ full records (readsFullCompanies)', () => {
  const full = { incremental: false, idsOnly: false };
  const capabilities = (details: boolean): Record<EntityKind, EntityCapabilities> => ({
    company: { ...full, ...(details ? { readsFullCompanies: true } : {}) },
    contact: full,
    configuration: full,
    agreement: full,
    site: full,
  });
  type Lacking = { remoteId: string; readAt?: number }[];
  const plan = (lacking: Lacking, matched = ['3', '12', '7'], details = true) =>
    planRun({ capabilities: capabilities(details), cursors: {}, matchedCompanyIds: matched, now, reconcile: false, companiesLackingDetails: lacking });
  const detailScope = (lacking: Lacking, matched?: string[], details?: boolean) =>
    plan(lacking, matched, details).find((step) => step.mode === 'details')?.scope;

  it('last in the run: the matched companies whose rows lack fields and were never read, in id order', () => {
    const steps = plan([{ remoteId: '12' }, { remoteId: '3' }, { remoteId: '40' }]);
    // '40' lacks a website but is not matched; '7' is matched but lacks nothing.
    expect(steps.at(-1)).toEqual({ entity: 'company', mode: 'details', since: null, scope: ['3', '12'], sweep: false, fullPass: false });
    expect(steps.filter((step) => step.mode === 'details')).toHaveLength(1);
  });

  it('a record read within the week is not read again, manual sync or not; an older one is', () => {
    expect(detailScope([{ remoteId: '3', readAt: now - 1000 }])).toBeUndefined();
    expect(
      planRun({
        capabilities: capabilities(true),
        cursors: {},
        matchedCompanyIds: ['3'],
        now,
        reconcile: true,
        companiesLackingDetails: [{ remoteId: '3', readAt: now - 1000 }],
      }).some((step) => step.mode === 'details'),
    ).toBe(false);
    expect(detailScope([{ remoteId: '3', readAt: now - DETAILS_REFRESH_MS }])).toEqual(['3']);
  });

  it(`at most ${DETAILS_PER_RUN} a run: never-read companies first, then the longest unread`, () => {
    const matched = Array.from({ length: DETAILS_PER_RUN + 20 }, (_, index) => String(index + 1));
    const lacking: Lacking = matched.map((remoteId, index) => (index < 10 ? { remoteId } : { remoteId, readAt: now - DETAILS_REFRESH_MS - index * 1000 }));
    const scope = detailScope(lacking, matched)!;
    expect(scope).toHaveLength(DETAILS_PER_RUN);
    // The ten never read, then the oldest reads (the highest indexes were read longest ago).
    const expected = [...matched.slice(0, 10), ...matched.slice(-(DETAILS_PER_RUN - 10))];
    expect(scope).toEqual(expected.sort((a, b) => Number(a) - Number(b)));
  });

  it('never for an adapter without the capability, with nothing lacking, or with nothing matched', () => {
    expect(detailScope([{ remoteId: '3' }], undefined, false)).toBeUndefined();
    expect(detailScope([])).toBeUndefined();
    expect(detailScope([{ remoteId: '3' }], [])).toBeUndefined();
  });
});

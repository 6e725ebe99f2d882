import { describe, expect, it } from 'vitest';
import { CURSOR_OVERLAP_MS, planRun, RECONCILE_EVERY_MS } from '@/lib/sync/plan';
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

describe('planRun: companies’ full records (detailsOnReconcile)', () => {
  const full = { incremental: false, idsOnly: false };
  const capabilities = (details: boolean): Record<EntityKind, EntityCapabilities> => ({
    company: { ...full, ...(details ? { detailsOnReconcile: true } : {}) },
    contact: full,
    configuration: full,
    agreement: full,
    site: full,
  });
  const companyCursor = (lastDetailsAt?: number): CursorRow => ({
    integrationId: 'i',
    entity: 'company',
    coveredCompanyIds: [],
    lastFullPassAt: now - 1000,
    ...(lastDetailsAt !== undefined ? { lastDetailsAt } : {}),
  });
  const detailSteps = (input: { details?: boolean; lastDetailsAt?: number; reconcile?: boolean; lacking?: string[]; matched?: string[] }) =>
    planRun({
      capabilities: capabilities(input.details ?? true),
      cursors: { company: companyCursor(input.lastDetailsAt) },
      matchedCompanyIds: input.matched ?? ['3', '12', '7'],
      now,
      reconcile: input.reconcile ?? false,
      companiesLackingDetails: input.lacking ?? ['12', '3', '40'],
    }).filter((step) => step.mode === 'details');

  it('last in the run: the matched companies whose rows lack fields, in id order, when never read before', () => {
    const steps = planRun({
      capabilities: capabilities(true),
      cursors: { company: companyCursor() },
      matchedCompanyIds: ['3', '12', '7'],
      now,
      reconcile: false,
      companiesLackingDetails: ['12', '3', '40'],
    });
    // '40' lacks a website but is not matched; '7' is matched but lacks nothing.
    expect(steps.at(-1)).toEqual({ entity: 'company', mode: 'details', since: null, scope: ['3', '12'], sweep: false, fullPass: false });
    expect(steps.filter((step) => step.mode === 'details')).toHaveLength(1);
  });

  it('with the reconcile: on manual syncs and once a day, never for an adapter without the capability or with nothing lacking', () => {
    expect(detailSteps({ lastDetailsAt: now - 1000 })).toEqual([]);
    expect(detailSteps({ lastDetailsAt: now - 1000, reconcile: true })).toHaveLength(1);
    expect(detailSteps({ lastDetailsAt: now - RECONCILE_EVERY_MS })).toHaveLength(1);
    expect(detailSteps({ details: false })).toEqual([]);
    expect(detailSteps({ lacking: [] })).toEqual([]);
    expect(detailSteps({ matched: [] })).toEqual([]);
  });
});

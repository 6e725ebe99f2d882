import { describe, expect, it } from 'vitest';
import type { CursorRow, RunStep } from '@/lib/db/schema';
import type { EntityCapabilities, EntityKind } from '@/lib/psa/types';
import { expectedRequests, withExpectedRequests } from '@/lib/sync/step-cost';

/** #17: what a planned step should cost in requests, for the run's time left in all. */
describe('expected requests of a planned step', () => {
  const plain: EntityCapabilities = { incremental: false, idsOnly: false };
  const capabilities: Record<EntityKind, EntityCapabilities> = {
    company: { incremental: true, idsOnly: true, readsFullCompanies: true },
    contact: { incremental: true, idsOnly: false },
    configuration: plain,
    agreement: { ...plain, wholeListOnly: true },
    site: { ...plain, wholeOnReconcile: true },
  };
  const cursor = (entity: EntityKind, lastFullPassRecords?: number): CursorRow => ({
    integrationId: 'i',
    entity,
    coveredCompanyIds: [],
    ...(lastFullPassRecords !== undefined ? { lastFullPassRecords } : {}),
  });
  const cursors = { configuration: cursor('configuration', 150_000), agreement: cursor('agreement', 3_001), contact: cursor('contact') };
  const input = { capabilities, cursors, pageSize: 100 };
  const step = (entity: EntityKind, extra: Partial<RunStep> = {}): RunStep => ({
    entity,
    mode: 'changes',
    since: null,
    scope: ['1', '2', '3', '4', '5', '6'],
    sweep: true,
    fullPass: true,
    ...extra,
  });

  it('costs a whole list what its last whole read found, over the page size', () => {
    expect(expectedRequests(step('configuration'), input)).toBe(1_500);
    expect(expectedRequests(step('agreement'), input)).toBe(31);
  });

  it('costs a request per company where the list is read per company', () => {
    // Full records, ConnectWise's sites (a list under each company), a few companies' lists.
    expect(expectedRequests(step('company', { mode: 'details', scope: ['1', '2', '3'], fullPass: false }), input)).toBe(3);
    expect(expectedRequests(step('site'), input)).toBe(6);
    expect(expectedRequests(step('configuration', { scope: ['1', '2'] }), input)).toBe(2);
    // Not a list the PSA narrows to a company (BMS contracts): the whole list still.
    expect(expectedRequests(step('agreement', { scope: ['1'] }), input)).toBe(31);
  });

  it('costs what changed since the cursor a page', () => {
    expect(expectedRequests(step('contact', { since: '2026-12-01T00:00:00Z', sweep: false, fullPass: false }), input)).toBe(1);
  });

  it('leaves a list never read whole uncounted, and every whole list without a page size', () => {
    expect(expectedRequests(step('contact'), input)).toBeUndefined();
    expect(expectedRequests(step('company', { scope: null }), input)).toBeUndefined();
    expect(expectedRequests(step('configuration'), { ...input, pageSize: undefined })).toBeUndefined();
    const planned = withExpectedRequests([step('contact'), step('configuration')], input);
    expect(planned.map((one) => one.expectedRequests)).toEqual([undefined, 1_500]);
    expect('expectedRequests' in planned[0]!).toBe(false);
  });

  it('marks the steps whose requests each read one company’s few records: small answers cost less than list pages', () => {
    const planned = withExpectedRequests(
      [step('configuration'), step('site'), step('company', { mode: 'details', scope: ['1'], fullPass: false }), step('configuration', { scope: ['1'] })],
      input,
    );
    expect(planned.map((one) => one.smallAnswers ?? false)).toEqual([false, true, true, false]);
  });
});

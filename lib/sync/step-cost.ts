import type { CursorRow, RunStep } from '../db/schema';
import { PER_COMPANY_LIMIT } from '../psa/company-walk';
import type { EntityCapabilities, EntityKind } from '../psa/types';

/**
 * What each planned step should cost in requests, so a run can say how long it has left in all
 * (lib/sync/eta.ts) before it reaches its later steps. Only what is known before a step runs: a
 * whole list costs what its last whole read found (the cursor's `lastFullPassRecords`) over the
 * page size; a list never read whole stays uncounted until its first page gives its total.
 */
export interface StepCostInput {
  capabilities: Record<EntityKind, EntityCapabilities>;
  cursors: Partial<Record<EntityKind, CursorRow>>;
  /** Records per list request (PsaAdapter.listPageSize); without it, whole lists stay uncounted. */
  pageSize: number | undefined;
}

export function withExpectedRequests(steps: RunStep[], input: StepCostInput): RunStep[] {
  return steps.map((step) => {
    const requests = expectedRequests(step, input);
    if (requests === undefined) return step;
    return { ...step, expectedRequests: requests, ...(readsPerCompany(step, input.capabilities) ? { smallAnswers: true as const } : {}) };
  });
}

/** A step whose requests each read one company's records: a full record, or a list that lives under each company (ConnectWise's sites). */
function readsPerCompany(step: RunStep, capabilities: StepCostInput['capabilities']): boolean {
  return step.mode === 'details' || (!!capabilities[step.entity]?.wholeOnReconcile && !!step.scope);
}

export function expectedRequests(step: RunStep, { capabilities, cursors, pageSize }: StepCostInput): number | undefined {
  // One full record per company. (A company's lists read first cost a page each: lib/sync/company-first.ts.)
  if (step.mode === 'details') return step.scope?.length;
  // Lists that live under each company (ConnectWise's sites): a request per company.
  if (capabilities[step.entity]?.wholeOnReconcile && step.scope) return step.scope.length;
  // What changed since the cursor: a page, as a rule, on a schedule's interval.
  if (step.since !== null) return 1;
  // A few companies' lists are read one company at a time (lib/psa/company-walk.ts).
  if (step.scope && step.scope.length <= PER_COMPANY_LIMIT && !capabilities[step.entity]?.wholeListOnly) return step.scope.length;
  const records = cursors[step.entity]?.lastFullPassRecords;
  if (records === undefined || !pageSize) return undefined;
  return Math.max(1, Math.ceil(records / pageSize));
}

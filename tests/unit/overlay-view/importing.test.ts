import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type RunStep } from '@/lib/db/schema';
import { importingNote } from '@/lib/overlay-view/importing';
import { buildOverlayView, TicketCache } from '@/lib/overlay-view/view';
import type { PsaAdapter } from '@/lib/psa/types';
import { COMPANIES_FIRST_PER_RUN } from '@/lib/sync/company-first';
import { SyncScheduler } from '@/lib/sync/scheduler';

/** The overlay of a company whose lists a running sync has not imported yet (#17: read first). */
const ORIGIN = 'https://bms.example';
let db: SidecarDb;
const adapter = {
  kind: 'kaseya-bms',
  capabilities: {
    company: { incremental: true, idsOnly: false },
    contact: { incremental: true, idsOnly: false },
    configuration: { incremental: false, idsOnly: false },
    agreement: { incremental: false, idsOnly: false, wholeListOnly: true },
    site: { incremental: false, idsOnly: false },
  },
  recordUrl: () => undefined,
} as unknown as PsaAdapter;
let readFirstCalls: string[];
const scheduler = () => new SyncScheduler({ db, adapterFor: async () => adapter, wakeAt: () => {} });
const deps = () => ({
  db,
  adapterFor: async () => adapter,
  tickets: new TicketCache(),
  readFirst: (integrationId: string, companyRemoteId: string) => {
    readFirstCalls.push(companyRemoteId);
    return scheduler().readCompanyFirst(integrationId, companyRemoteId);
  },
});
const whole = (entity: RunStep['entity'], scope: string[]): RunStep => ({ entity, mode: 'changes', since: null, scope, sweep: true, fullPass: true });

beforeEach(async () => {
  db = new SidecarDb(`importing-${Math.random()}`);
  readFirstCalls = [];
  await db.integrations.add({
    id: 'bms',
    psa: 'kaseya-bms',
    label: 'Kaseya BMS',
    settings: {},
    uiOrigin: ORIGIN,
    origins: [ORIGIN],
    createdAt: 0,
    connection: { ok: true, companyName: 'MSP', testedAt: 0 },
    lastSyncAt: 1000,
  });
  await db.records.add({
    integrationId: 'bms',
    entity: 'company',
    remoteId: '1',
    companyRemoteId: '1',
    data: { remoteId: '1', name: 'Northwind', types: [] },
    sortName: 'northwind',
    syncedAt: 1,
  });
  await db.clientSpaces.add({ id: 'space-1', name: 'Northwind', createdAt: 0 });
  await db.matches.add({ integrationId: 'bms', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space-1', decidedAt: 0 });
  // The first sync of matched companies' lists, reading contacts now.
  await db.runs.add({
    id: 'run',
    integrationId: 'bms',
    trigger: 'manual',
    status: 'running',
    startedAt: 0,
    steps: (['contact', 'configuration', 'agreement', 'site'] as const).map((entity) => whole(entity, ['1', '2'])),
    stepIndex: 0,
    pageToken: '{"page":7}',
    maxUpdatedAt: {},
    counts: {},
    attempts: 0,
  });
});
afterEach(async () => {
  await db.delete();
});

const page = { psa: 'kaseya-bms' as const, kind: 'company' as const, id: '1' };

describe('a company whose lists a running sync has not imported yet', () => {
  it('has them read first and says so, naming the lists the PSA cannot read for one company', async () => {
    const view = await buildOverlayView(deps(), ORIGIN, page);
    expect(view.state === 'ready' && view.importing).toEqual({
      message:
        'Sidecar is reading this company’s contacts, configurations and sites now, ahead of the rest of the sync: they appear here in a moment. ' +
        'Its agreements are not imported yet: they arrive as the sync reaches them.',
      fetching: true,
    });
    expect(readFirstCalls).toEqual(['1']);
    const run = (await db.runs.get('run'))!;
    expect(run.steps.slice(0, 3).map((step) => [step.entity, step.scope, step.first])).toEqual([
      ['contact', ['1'], true],
      ['configuration', ['1'], true],
      ['site', ['1'], true],
    ]);
    // Asked again (the overlay polls): not read first twice.
    const again = await buildOverlayView(deps(), ORIGIN, page);
    expect(again.state === 'ready' && again.importing && again.importing.message).toMatch(
      /^Sidecar is reading this company’s contacts, configurations and sites now/,
    );
    expect((await db.runs.get('run'))!.steps).toHaveLength(run.steps.length);
  });

  it('says they wait for the sync once the run has read its share of companies first', async () => {
    await db.runs.update('run', {
      steps: [
        ...Array.from({ length: COMPANIES_FIRST_PER_RUN }, (_, index): RunStep => ({
          ...whole('contact', [String(100 + index)]),
          sweep: false,
          fullPass: false,
          first: true,
        })),
        ...(await db.runs.get('run'))!.steps,
      ],
    });
    const view = await buildOverlayView(deps(), ORIGIN, page);
    expect(view.state === 'ready' && view.importing).toEqual({
      message: 'This company’s contacts, configurations, agreements and sites are not imported yet: they arrive as the sync reaches them.',
      fetching: false,
    });
    expect(readFirstCalls).toEqual([]);
  });

  it('says nothing once they are in, or when no sync runs', async () => {
    await db.cursors.bulkAdd(
      (['contact', 'configuration', 'agreement', 'site'] as const).map((entity) => ({
        integrationId: 'bms',
        entity,
        coveredCompanyIds: ['1'],
        lastFullPassAt: 500,
      })),
    );
    const covered = await buildOverlayView(deps(), ORIGIN, page);
    expect(covered.state === 'ready' && covered.importing).toBeUndefined();
    await db.runs.update('run', { status: 'succeeded' });
    await db.cursors.clear();
    const idle = await buildOverlayView(deps(), ORIGIN, page);
    expect(idle.state === 'ready' && idle.importing).toBeUndefined();
    expect(readFirstCalls).toEqual([]);
  });
});

describe('importingNote', () => {
  it('names what is read now and what waits', () => {
    expect(importingNote([], [])).toBeUndefined();
    expect(importingNote(['contact'], [])).toEqual({
      message: 'Sidecar is reading this company’s contacts now, ahead of the rest of the sync: they appear here in a moment.',
      fetching: true,
    });
    expect(importingNote([], ['agreement'])).toEqual({
      message: 'This company’s agreements are not imported yet: they arrive as the sync reaches them.',
      fetching: false,
    });
  });
});

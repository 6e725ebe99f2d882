import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type RecordRow } from '@/lib/db/schema';
import { PsaError } from '@/lib/psa/errors';
import type { AgreementLine, BillingWriter, QuantityChange } from '@/lib/psa/billing-writer';
import type { EntityKind, PsaAdapter } from '@/lib/psa/types';
import { planBilling, runBilling } from '@/lib/billing/run';
import { nextBillingRun, type BillingSettings } from '@/lib/billing/settings';

/** A PSA's agreements as lines it keeps; `readable: false` is a PSA that cannot read them back. */
class FakeBilling implements BillingWriter {
  readonly target = 'agreement lines';
  lines$ = new Map<string, AgreementLine[]>();
  writes: QuantityChange[] = [];
  readable = true;
  failOn?: string;
  async products() {
    return [
      { id: 'p-ws', name: 'Managed Workstation' },
      { id: 'p-user', name: 'Managed User' },
    ];
  }
  async lines(agreementRemoteId: string, _company: string, productIds: string[]) {
    if (!this.readable) return [];
    return (this.lines$.get(agreementRemoteId) ?? []).filter((line) => productIds.includes(line.productId));
  }
  preview(change: QuantityChange) {
    return { method: 'POST' as const, path: `agreements/${change.agreementRemoteId}/lines`, body: { product: change.product.id, quantity: change.quantity } };
  }
  async setQuantity(change: QuantityChange) {
    if (this.failOn === change.product.id) throw new PsaError('config', 'The product is not sold on this agreement.', { status: 400 });
    this.writes.push(change);
    const lines = this.lines$.get(change.agreementRemoteId) ?? [];
    const line = lines.find((item) => item.productId === change.product.id) ?? { lineId: `l${lines.length}`, productId: change.product.id, quantity: 0 };
    line.quantity = change.quantity;
    this.lines$.set(change.agreementRemoteId, [...lines.filter((item) => item !== line), line]);
    return line;
  }
}

let db: SidecarDb;
let psa: FakeBilling;
const deps = () => ({ db, adapterFor: async () => ({ billing: psa }) as unknown as PsaAdapter, now: () => 1_000 });

const row = (entity: EntityKind, remoteId: string, companyRemoteId: string, data: Record<string, unknown>, extra: Partial<RecordRow> = {}): RecordRow => ({
  integrationId: 'i',
  entity,
  remoteId,
  companyRemoteId,
  data: { remoteId, ...data } as never,
  sortName: String(data.name ?? remoteId).toLowerCase(),
  syncedAt: 1,
  ...extra,
});

const settings = (patch: Partial<BillingSettings> = {}): BillingSettings => ({
  enabled: true,
  mappings: [
    { id: 'm1', count: { kind: 'configurations-in-layout', layoutId: 'layout-ws' }, productId: 'p-ws', productName: 'Managed Workstation' },
    { id: 'm2', count: { kind: 'active-contacts' }, productId: 'p-user', productName: 'Managed User' },
  ],
  schedule: { frequency: 'daily', weekday: 1, time: '02:00' },
  companies: { A: { agreementRemoteId: 'agr-A' } },
  ...patch,
});

async function useSettings(value: BillingSettings) {
  await db.integrations.update('i', { options: { syncLocations: {} as never, billing: value } });
}

beforeEach(async () => {
  db = new SidecarDb(`billing-${Math.random()}`);
  psa = new FakeBilling();
  await db.integrations.add({ id: 'i', psa: 'connectwise', label: 'CW', settings: {}, uiOrigin: 'https://x', origins: [], createdAt: 0 });
  await db.layouts.add({ id: 'layout-ws', name: 'Workstations', role: 'configurations', createdAt: 0 } as never);
  await db.records.bulkAdd([
    row('company', 'A', 'A', { name: 'Alpha' }),
    row('company', 'B', 'B', { name: 'Beta' }),
    row('company', 'C', 'C', { name: 'Gamma' }),
    row('agreement', 'agr-A', 'A', { name: 'Managed A', companyRemoteId: 'A' }),
    row('agreement', 'agr-C', 'C', { name: 'Managed C', companyRemoteId: 'C' }),
    row('configuration', 'ws1', 'A', { name: 'WS1', typeName: 'Workstation' }, { layoutId: 'layout-ws' }),
    row('configuration', 'ws2', 'A', { name: 'WS2', typeName: 'Workstation' }, { layoutId: 'layout-ws' }),
    row('configuration', 'ws3', 'A', { name: 'WS3', typeName: 'Workstation' }, { layoutId: 'layout-ws', archivedAt: 5, archivedReason: 'deleted' }),
    row('configuration', 'srv', 'A', { name: 'SRV', typeName: 'Server' }, { layoutId: 'layout-servers' }),
    row('contact', 'c1', 'A', { name: 'Dana', companyRemoteId: 'A' }),
    row('contact', 'c2', 'A', { name: 'Inactive Ian', companyRemoteId: 'A', inactive: true }),
  ]);
  for (const id of ['A', 'B', 'C']) await db.matches.add({ integrationId: 'i', companyRemoteId: id, state: 'matched', clientSpaceId: `s-${id}`, decidedAt: 0 });
  psa.lines$.set('agr-A', [{ lineId: 'l-ws', productId: 'p-ws', quantity: 5 }]);
  await useSettings(settings());
});
afterEach(() => db.delete());

describe('billing counts', () => {
  it('previews each mapped company’s change, from the agreement’s quantity to the count, and says why others get none', async () => {
    const plan = await planBilling(deps(), 'i');
    const byName = Object.fromEntries(plan.companies.map((company) => [company.companyName, company]));
    expect(byName.Alpha!.lines.map(({ productName, from, to, change }) => ({ productName, from, to, change }))).toEqual([
      { productName: 'Managed Workstation', from: 5, to: 2, change: true }, // the archived workstation and the server do not count
      { productName: 'Managed User', from: undefined, to: 1, change: true }, // no line yet; the inactive contact does not count
    ]);
    expect(byName.Beta!.problem).toMatch(/^No agreement: CW has no agreement/);
    expect(byName.Gamma!.problem).toMatch(/^No agreement chosen/);
    expect(plan.changes).toBe(2);
    expect(psa.writes).toEqual([]);
  });

  it('writes only what changed, logs each write, and a second run writes nothing', async () => {
    const first = await runBilling(deps(), 'i', 'manual', 'Dana');
    expect(first).toMatchObject({ updated: 2, unchanged: 0, companiesSkipped: 2 });
    expect(psa.writes.map((write) => [write.product.id, write.quantity, write.line?.lineId])).toEqual([
      ['p-ws', 2, 'l-ws'],
      ['p-user', 1, undefined],
    ]);
    const log = await db.billingLog.toArray();
    expect(log.map(({ productName, from, to, by, companyName }) => ({ productName, from, to, by, companyName }))).toEqual([
      { productName: 'Managed Workstation', from: 5, to: 2, by: 'Dana', companyName: 'Alpha' },
      { productName: 'Managed User', from: undefined, to: 1, by: 'Dana', companyName: 'Alpha' },
    ]);
    expect(await db.billingStatus.get(['i', 'A'])).toMatchObject({ status: 'ok', detail: expect.stringContaining('Managed Workstation 5 → 2') });
    expect(await db.billingStatus.get(['i', 'B'])).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/^No agreement:/) });

    const second = await runBilling(deps(), 'i', 'schedule', 'Dana');
    expect(second).toMatchObject({ updated: 0, unchanged: 2 });
    expect(psa.writes).toHaveLength(2);
    expect(await db.billingLog.count()).toBe(2);
    expect((await db.billingStatus.get(['i', 'A']))?.detail).toBe('Nothing changed on Managed A.');
  });

  it('compares with what it last wrote where the PSA cannot read the agreement back', async () => {
    psa.readable = false;
    await runBilling(deps(), 'i', 'manual', 'Dana');
    expect(psa.writes).toHaveLength(2);
    await runBilling(deps(), 'i', 'manual', 'Dana');
    expect(psa.writes).toHaveLength(2);
  });

  it('sends nothing while the integration status is off', async () => {
    await useSettings(settings({ enabled: false }));
    await expect(runBilling(deps(), 'i', 'manual', 'Dana')).rejects.toThrow('Billing counts are off for CW: nothing is sent.');
    expect(psa.writes).toEqual([]);
    expect(await db.billingLog.count()).toBe(0);
    // Still previewable and editable.
    expect((await planBilling(deps(), 'i')).changes).toBe(2);
  });

  it('a refused write fails that company with the reason, keeping what it wrote before on record', async () => {
    psa.failOn = 'p-user';
    const outcome = await runBilling(deps(), 'i', 'manual', 'Dana');
    expect(outcome).toMatchObject({ updated: 1, companiesFailed: 1 });
    const status = await db.billingStatus.get(['i', 'A']);
    expect(status?.status).toBe('failed');
    expect(status?.detail).toContain('Managed User was not updated (none → 1): The product is not sold on this agreement.');
    expect(status?.detail).toContain('Updated before that: Managed Workstation 5 → 2.');
    expect(await db.billingLog.count()).toBe(1);
  });
});

describe('counting hand-filled field values (#10)', () => {
  it('counts the layout’s configurations whose field holds the value, not cleared ones nor other fields', async () => {
    await db.integrations.update('i', { settings: { host: 'na.myconnectwise.net', scheme: 'https', companyId: 'acme' } });
    const author = { installId: 'x', name: 'Dana' };
    const field = (remoteId: string, fieldId: string, value: { type: string; v: unknown }, binned = false) => {
      const recordKey = `connectwise:na.myconnectwise.net:acme/configuration/${remoteId}`;
      return {
        id: `field:${remoteId}:${fieldId}`,
        rev: '1-a',
        kind: 'field',
        recordKey,
        words: [],
        doc: {
          _id: `field:${remoteId}:${fieldId}`,
          schema: 1,
          kind: 'field',
          createdAt: 1,
          createdBy: author,
          updatedAt: 1,
          updatedBy: author,
          ...(binned ? { binnedAt: 2, binnedBy: author } : {}),
          record: { source: 'connectwise:na.myconnectwise.net:acme', entity: 'configuration', remoteId },
          layoutId: 'layout-ws',
          fieldId,
          value,
        },
      };
    };
    await db.docs.bulkAdd([
      field('ws1', 'edr', { type: 'yesno', v: true }),
      field('ws2', 'edr', { type: 'yesno', v: true }, true), // cleared: in the bin
      field('ws3', 'edr', { type: 'yesno', v: true }), // an archived configuration
      field('srv', 'edr', { type: 'yesno', v: true }), // another layout's configuration
      field('ws2', 'owner', { type: 'text', v: 'yes' }), // another field
    ]);
    const { countFor } = await import('@/lib/billing/counts');
    expect(await countFor(db, 'i', 'A', { kind: 'configurations-with-field', layoutId: 'layout-ws', fieldId: 'edr', value: 'yes' })).toBe(1);
    expect(await countFor(db, 'i', 'A', { kind: 'configurations-with-field', layoutId: 'layout-ws', fieldId: 'edr', value: 'No' })).toBe(0);
    expect(await countFor(db, 'i', 'A', { kind: 'configurations-of-type', typeName: 'workstation' })).toBe(2);
  });
});

describe('billing schedule', () => {
  it('is due daily at its time, or weekly on its day', () => {
    const monday = new Date(2026, 11, 7, 10, 0); // Monday 10:00 local
    expect(nextBillingRun({ frequency: 'daily', weekday: 0, time: '02:00' }, monday)).toEqual(new Date(2026, 11, 8, 2, 0));
    expect(nextBillingRun({ frequency: 'daily', weekday: 0, time: '11:30' }, monday)).toEqual(new Date(2026, 11, 7, 11, 30));
    expect(nextBillingRun({ frequency: 'weekly', weekday: 1, time: '09:00' }, monday)).toEqual(new Date(2026, 11, 14, 9, 0));
    expect(nextBillingRun({ frequency: 'weekly', weekday: 3, time: '09:00' }, monday)).toEqual(new Date(2026, 11, 9, 9, 0));
  });
});

import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type IntegrationRow } from '@/lib/db/schema';
import { pageDetection } from '@/lib/detect/page-detection';
import { PSA_DESCRIPTORS } from '@/lib/psa/all';
import { PsaError } from '@/lib/psa/errors';
import { PSA_PAGES } from '@/lib/psa/pages';
import { psaRegistry } from '@/lib/psa/psa-registry';
import type { PsaAdapter } from '@/lib/psa/types';
import { runSlice } from '@/lib/sync/engine';
import { SyncScheduler } from '@/lib/sync/scheduler';
import { fakePsa, fakePsaPages } from '../../fixtures/fake-psa';
import { FakePsaAdapter } from '../../fixtures/fake-psa/adapter';
import { fakePsaServer } from '../../fixtures/fake-psa/server';

/**
 * A fourth PSA needs one folder (tests/fixtures/fake-psa: page part, form, adapter, descriptor)
 * and one entry in each list: here the two lines below; in the product, its name in
 * lib/psa/kinds.ts, after which the compiler asks for it in lib/psa/pages.ts and lib/psa/all.ts.
 *
 * The registries are functions over their lists (psaRegistry, pageDetection), so the test builds
 * its own over the shipped PSAs plus this one, and PsaKind (the shipped PSAs) stays exact.
 */
const detection = pageDetection([...PSA_PAGES, fakePsaPages]);
const registry = psaRegistry([...PSA_DESCRIPTORS, fakePsa]);

const SETTINGS = { baseUrl: 'https://acme.fakepsa.test' };
const SAVED = { apiKey: 'key-1' };
const integration = { id: 'fake-1', label: 'Fake PSA (acme.fakepsa.test)', psa: 'fake-psa' as const, settings: SETTINGS };

describe('a fake fourth PSA, registered by one folder and one entry per list', () => {
  it('is detected on its own pages, and the shipped PSAs still are', () => {
    expect(detection.detectPage('https://acme.fakepsa.test/record/ticket/42')).toStrictEqual({ psa: 'fake-psa', kind: 'ticket', id: '42' });
    expect(detection.detectPage('https://acme.fakepsa.test/record/company/7')).toStrictEqual({ psa: 'fake-psa', kind: 'company', id: '7' });
    expect(detection.detectPage('https://acme.fakepsa.test/dashboard')).toStrictEqual({ psa: 'fake-psa', kind: 'other' });
    // Generic paths: only on its hosts, or a host configured for it.
    expect(detection.detectPage('https://example.com/record/ticket/42')).toBeNull();
    expect(detection.detectPage('http://127.0.0.1:9000/record/ticket/42', { hosts: [{ host: '127.0.0.1:9000', psa: 'fake-psa' }] })).toStrictEqual({
      psa: 'fake-psa',
      kind: 'ticket',
      id: '42',
    });
    expect(detection.detectPage('https://acme.halopsa.com/tickets?id=5')).toStrictEqual({ psa: 'halo', kind: 'ticket', id: '5' });
    expect(detection.detectPage('https://na.myconnectwise.net/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=9')).toMatchObject({
      psa: 'connectwise',
      kind: 'ticket',
      id: '9',
    });

    const doc = {
      querySelector: (selector: string) =>
        selector === 'h1.fake-ticket' ? { textContent: 'Ticket 77: printer' } : selector === '.fake-company' ? { textContent: ' Acme ' } : null,
    } as unknown as Document;
    expect(detection.detectByDom('fake-psa', doc)).toStrictEqual({ kind: 'ticket', id: '77' });
    expect(detection.ticketHintsFromDom('fake-psa', doc)).toStrictEqual({ companyName: 'Acme' });
  });

  it('gets its form on the options page, after the shipped ones', () => {
    expect(registry.forms.map((form) => form.kind)).toEqual(['connectwise', 'halo', 'kaseya-bms', 'fake-psa']);
    const form = registry.formFor('fake-psa')!;
    expect(form.title).toBe('Fake PSA');
    expect(form.parse({ server: 'acme.fakepsa.test', apiKey: 'k' })).toMatchObject({
      ok: true,
      value: { settings: SETTINGS, credentials: { apiKey: 'k' }, uiOrigin: 'https://acme.fakepsa.test' },
    });
  });

  it('gets its adapter from createAdapter, paced within its own rate limit', async () => {
    expect(registry.rateLimit('fake-psa')).toEqual({ limit: 8, windowMs: 60_000, per: 'api' });
    const server = fakePsaServer({ companies: [{ id: 1, name: 'Acme' }], contacts: [] }, SAVED.apiKey);
    const adapter = registry.createAdapter(integration, SAVED, { fetch: server.fetch, pacing: { maxWaitMs: 0 } });
    expect(adapter).toBeInstanceOf(FakePsaAdapter);
    // Half of the declared 8 requests a minute (the default share).
    expect((adapter as FakePsaAdapter).pacer?.allowed).toBe(4);
    for (let i = 0; i < 4; i++) await adapter.listPage('company', { pageToken: null, since: null, companyRemoteIds: null });
    await expect(adapter.listPage('company', { pageToken: null, since: null, companyRemoteIds: null })).rejects.toMatchObject({ code: 'rate-limited' });
    expect(server.requests).toHaveLength(4);

    expect(() => registry.createAdapter(integration, undefined)).toThrow(/no saved credentials/);
    expect(() => registry.createAdapter({ ...integration, settings: { baseUrl: 'not a url' } }, SAVED)).toThrow(PsaError);
    expect(() => registry.createAdapter(integration, { apiKey: '' })).toThrow(/incomplete settings/);
  });

  describe('syncs through the real engine', () => {
    let db: SidecarDb;
    let clock = Date.parse('2026-11-22T00:00:00Z');
    beforeEach(async () => {
      db = new SidecarDb(`fake-psa-${Math.random()}`);
    });
    afterEach(async () => {
      await db.delete();
    });

    it('imports its companies, then the matched company’s contacts', async () => {
      const server = fakePsaServer(
        {
          companies: [1, 2, 3].map((id) => ({ id, name: `Company ${id}` })),
          contacts: [10, 11, 12, 13].map((id) => ({ id, companyId: id % 2 === 0 ? 1 : 2, name: `Contact ${id}` })),
        },
        SAVED.apiKey,
      );
      // The stored row and the engine are typed to the shipped PSAs (PsaKind); neither reads the
      // kind, which is the point: the cast marks that one boundary.
      const row = { ...integration, id: 'i', uiOrigin: SETTINGS.baseUrl, origins: [SETTINGS.baseUrl], createdAt: 0 } as unknown as IntegrationRow;
      await db.integrations.add(row);
      const adapter = registry.createAdapter(integration, SAVED, { fetch: server.fetch, pacing: false }) as unknown as PsaAdapter;
      const deps = () => ({ db, adapterFor: async () => adapter, now: () => clock, wakeAt: () => {} });
      const scheduler = new SyncScheduler(deps());
      const runToEnd = async (runId: string) => {
        for (let i = 0; i < 100; i++) {
          const outcome = await runSlice(deps(), runId);
          if (outcome === 'done') return;
          if (outcome === 'waiting') clock += 60 * 60_000;
        }
        throw new Error('run did not finish');
      };
      const live = (entity: 'company' | 'contact') =>
        db.records
          .where('[integrationId+entity+remoteId]')
          .between(['i', entity, Dexie.minKey], ['i', entity, Dexie.maxKey])
          .filter((record) => record.archivedAt === undefined)
          .toArray();

      await runToEnd((await scheduler.requestSync('i', 'manual')).runId);
      expect((await live('company')).map((record) => record.remoteId).sort()).toEqual(['1', '2', '3']);

      await db.clientSpaces.add({ id: 'space', name: 'Company 1', createdAt: 0 });
      await db.matches.add({ integrationId: 'i', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space', decidedAt: 0 });
      await runToEnd((await scheduler.requestSync('i', 'manual')).runId);
      expect((await live('contact')).map((record) => record.remoteId).sort()).toEqual(['10', '12']);
      expect(server.requests.every((request) => request.startsWith('GET /api/'))).toBe(true);
    });
  });
});

describe('the shipped lists', () => {
  it('list the same PSAs in the same order', () => {
    expect(PSA_DESCRIPTORS.map((descriptor) => descriptor.kind)).toEqual(PSA_PAGES.map((pages) => pages.kind));
  });
});

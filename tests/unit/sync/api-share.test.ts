import { afterEach, describe, expect, it } from 'vitest';
import { createBackgroundServices } from '@/lib/background/services';
import { SidecarDb } from '@/lib/db/schema';
import { channels } from '@/lib/messaging/protocol';
import { PsaError } from '@/lib/psa/errors';
import { memoryKeyStore } from '@/lib/secrets/session';
import { Vault } from '@/lib/secrets/vault';
import { DEFAULT_SKIP, effectiveOptions } from '@/lib/sync/options';
import { saveSyncOptions, type SyncOptionsInput } from '@/lib/sync/options-service';
import { startHaloEmulator } from '../../emulator/halo/start.ts';

/** Issue #7: the share of the vendor's rate limit a sync may use is the user's to set (default 50%). */

const defaults: SyncOptionsInput = { skip: DEFAULT_SKIP, autoUpdateNames: true, autoArchiveDeletedDevices: true, keepCompanyDetails: false };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function haloSetup() {
  const halo = await startHaloEmulator({ preset: 'tiny' });
  const db = new SidecarDb(`api-share-${Math.random()}`);
  cleanups.push(
    () => halo.close(),
    () => db.delete(),
  );
  const creds = halo.credentials.valid;
  await db.integrations.add({
    id: 'h',
    psa: 'halo',
    label: 'Halo',
    settings: { resourceOrigin: halo.baseUrl, tenant: creds.tenant! },
    uiOrigin: halo.baseUrl,
    origins: [],
    createdAt: 0,
  });
  const vault = new Vault({ db, session: memoryKeyStore() });
  await db.secrets.put({ integrationId: 'h', sealed: await vault.seal({ clientId: creds.clientId, clientSecret: creds.clientSecret }) });
  return { halo, db, vault };
}

describe('the share of the rate limit', () => {
  it('defaults to 50%, is saved with the options, and stays when a save leaves it out', async () => {
    const { db } = await haloSetup();
    expect(effectiveOptions(undefined).apiSharePercent).toBe(50);
    await saveSyncOptions(db, 'h', { ...defaults, apiSharePercent: 20 });
    expect((await db.integrations.get('h'))?.options?.apiSharePercent).toBe(20);
    await saveSyncOptions(db, 'h', { ...defaults, autoUpdateNames: false });
    expect(effectiveOptions((await db.integrations.get('h'))?.options)).toMatchObject({ apiSharePercent: 20, autoUpdateNames: false });
  });

  it.each([
    [4, /^Use at least 5% of the rate limit/],
    [101, /^Sidecar cannot use more than 100% of the rate limit\.$/],
    [12.5, /^Enter a whole number of percent\.$/],
    [null, /^Enter the share of the rate limit as a number of percent\.$/],
  ])('refuses %s with a message that says what to enter', (value, message) => {
    const parsed = channels['integration.syncOptions'].request.safeParse({ integrationId: 'h', options: { ...defaults, apiSharePercent: value } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual([expect.stringMatching(message)]);
  });

  it('reaches the worker’s pacer: at 5% of Halo’s 300 per 5 minutes, the 16th request waits for the engine’s alarm', async () => {
    const { db, vault } = await haloSetup();
    await saveSyncOptions(db, 'h', { ...defaults, apiSharePercent: 5 });
    const services = createBackgroundServices({ db, vault, adapterOptions: { retries: 0 } });
    const adapter = await services.adapterFor('h');
    // The token request and the info request count too: 15 requests go as soon as asked.
    let made = 0;
    let refused: unknown;
    for (let call = 0; call < 16 && !refused; call += 1) {
      try {
        await adapter.testConnection();
        made += 1;
      } catch (error) {
        refused = error;
      }
    }
    expect(refused).toBeInstanceOf(PsaError);
    expect(refused).toMatchObject({ code: 'rate-limited' });
    expect((refused as PsaError).message).toMatch(/^Sidecar keeps to 5% of this PSA's API limit \(300 requests per 5 min\)/);
    expect(made).toBeGreaterThan(0);
    // Raising the share gives a new adapter with a new budget.
    await saveSyncOptions(db, 'h', { ...defaults, apiSharePercent: 100 });
    const raised = await services.adapterFor('h');
    expect(raised).not.toBe(adapter);
    await expect(raised.testConnection()).resolves.toMatchObject({ companyName: expect.any(String) });
  });
});

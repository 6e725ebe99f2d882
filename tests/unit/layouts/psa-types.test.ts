import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { psaConfigurationTypes } from '@/lib/layouts/psa-types';
import { ConnectwiseAdapter } from '@/lib/psa/connectwise/adapter';
import { HaloAdapter } from '@/lib/psa/halo/adapter';
import { BmsAdapter } from '@/lib/psa/kaseya-bms/adapter';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { startHaloEmulator, type RunningHaloEmulator } from '../../emulator/halo/start.ts';
import { startKaseyaBmsEmulator, type RunningKaseyaBms } from '../../emulator/kaseya-bms/start.ts';

/** Types are offered from the PSA's own list, before any configuration is imported (Hudu's flow). */
let cw: RunningEmulator;
let halo: RunningHaloEmulator;
let bms: RunningKaseyaBms;
beforeAll(async () => {
  [cw, halo, bms] = await Promise.all([
    startEmulator({ psa: 'connectwise', preset: 'tiny' }),
    startHaloEmulator({ preset: 'tiny', rateLimit: null }),
    startKaseyaBmsEmulator({ preset: 'tiny' }),
  ]);
});
afterAll(async () => {
  await Promise.all([cw.close(), halo.close(), bms.close()]);
});

const cwAdapter = (privateKey?: string) => {
  const creds = cw.credentials.valid;
  return new ConnectwiseAdapter({
    settings: { host: new URL(cw.baseUrl).host, scheme: 'http', companyId: creds.companyId },
    credentials: { publicKey: creds.publicKey, privateKey: privateKey ?? creds.privateKey, clientId: creds.clientId },
    retries: 0,
  });
};

describe('configuration types from the PSA', () => {
  it('ConnectWise: the active configuration types, sorted, none inactive', async () => {
    const expected = cw.data.configurationTypes.rows
      .filter((type) => type.inactiveFlag !== true)
      .map((type) => String(type.name))
      .sort((a, b) => a.localeCompare(b));
    expect(expected.length).toBeGreaterThan(3);
    expect(cw.data.configurationTypes.rows.some((type) => type.inactiveFlag === true)).toBe(true);
    expect(await psaConfigurationTypes(cwAdapter())).toEqual({ types: expected });
  });

  it('HaloPSA: the asset types', async () => {
    const creds = halo.credentials.valid;
    const adapter = new HaloAdapter({
      settings: { resourceOrigin: halo.baseUrl, ...(creds.tenant ? { tenant: creds.tenant } : {}) },
      credentials: { clientId: creds.clientId, clientSecret: creds.clientSecret },
      retries: 0,
    });
    const expected = [...new Set(halo.data.assetTypes.map((type) => String(type.name)))].sort((a, b) => a.localeCompare(b));
    expect(expected.length).toBeGreaterThan(1);
    expect(await psaConfigurationTypes(adapter)).toEqual({ types: expected });
  });

  it('Kaseya BMS has no such list, and says so; a failing PSA says why instead of failing', async () => {
    const creds = bms.credentials.valid;
    const adapter = new BmsAdapter({
      settings: { uiOrigin: bms.baseUrl, apiOrigin: bms.apiBaseUrl, tenant: creds.tenant },
      credentials: { username: creds.userName, password: creds.password },
      retries: 0,
    });
    expect(await psaConfigurationTypes(adapter)).toEqual({ types: [], note: expect.stringMatching(/no list of asset types/) });
    expect(await psaConfigurationTypes(cwAdapter('wrong-key'))).toEqual({
      types: [],
      note: expect.stringMatching(/could not be read from the PSA \(ConnectWise rejected the API keys/),
    });
  });
});

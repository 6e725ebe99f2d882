import type { RunningEmulator, RunningHaloEmulator, RunningKaseyaBms } from '../emulator/index.ts';
import type { ConnectwiseEntry } from './flows';

/** What a technician types into each PSA's form for a running emulator (its valid credentials). */

/** ConnectWise, as the address bar shows an on-premises server's login page. */
export function connectwiseEntry(cw: RunningEmulator): ConnectwiseEntry {
  const { companyId, publicKey, privateKey, clientId } = cw.credentials.valid;
  return { domain: `http://${new URL(cw.baseUrl).host}/v4_6_release/ConnectWise.aspx`, companyId, publicKey, privateKey, clientId };
}

/** HaloPSA: the resource server as Halo's API details name it (with `/api`). */
export function haloEntry(halo: RunningHaloEmulator): Record<string, string> {
  const { tenant, clientId, clientSecret } = halo.credentials.valid;
  return { resourceServer: `${halo.baseUrl}/api`, tenant: tenant ?? '', clientId, clientSecret };
}

/** Kaseya BMS on a custom domain (the emulator), with its API user. */
export function bmsEntry(bms: RunningKaseyaBms): Record<string, string> {
  const { tenant, userName, password } = bms.credentials.valid;
  return { region: 'custom', customDomain: bms.baseUrl, tenant, username: userName, password };
}

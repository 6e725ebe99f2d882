import { missingAccess, type AccessProbe } from '../access-probe';
import { PsaError } from '../errors';
import type { ConnectionInfo } from '../types';
import type { HaloClient } from './client';
import { haloInstanceInfoSchema } from './schemas';

/**
 * Test connection (docs/psa/halo.md#test-connection): authinfo proves the address is a Halo, the token proves
 * the client id/secret/tenant, and one small read per synced list proves the permissions.
 */
const PROBES: readonly AccessProbe[] = [
  { path: 'Client', what: 'clients (read:customers)' },
  { path: 'Site', what: 'sites (read:customers)' },
  { path: 'Users', what: 'users (read:customers)' },
  { path: 'Asset', what: 'assets (read:assets)' },
  { path: 'ClientContract', what: 'contracts (read:contracts)' },
];

export async function testHaloConnection(client: HaloClient): Promise<ConnectionInfo> {
  const authUrl = await client.resolveAuthUrl();
  await client.accessToken(true);
  const info = haloInstanceInfoSchema.safeParse(await client.get('InstanceInfo'));

  // A token without a permission can answer 401 as well as 403.
  const missing = await missingAccess(PROBES, (path) => client.get(path, { pageinate: true, page_size: 1, page_no: 1 }), ['permission', 'auth']);
  if (missing.length) {
    throw new PsaError(
      'permission',
      `The Halo API application cannot read ${missing.join(', ')}. In Halo, give the application these permissions and make sure the agent it logs in as can see all clients (Client Access Level: All).`,
      { status: 403 },
    );
  }
  const host = new URL(client.settings.resourceOrigin).host;
  const name = (info.success && (info.data.name?.trim() || info.data.app_name?.trim())) || host;
  return {
    companyName: name,
    ...(info.success && info.data.app_version ? { version: info.data.app_version } : {}),
    settingsPatch: { authUrl },
  };
}

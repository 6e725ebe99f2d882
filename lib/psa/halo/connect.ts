import { missingAccess, type AccessProbe } from '../access-probe';
import { PsaError } from '../errors';
import type { ConnectionInfo, WriteRight } from '../types';
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
  const writeRights: WriteRight[] = [
    { what: 'edit:tickets', usedFor: 'create tickets', allowed: grantsTicketEdits(client.grantedScope) },
    // Recurring invoices are Halo's invoices module (docs/psa/halo.md#billing-counts).
    { what: 'edit:invoices', usedFor: 'update billing quantities on agreements', allowed: grantsScope(client.grantedScope, 'edit:invoices') },
  ];
  const name = (info.success && (info.data.name?.trim() || info.data.app_name?.trim())) || host;
  return {
    companyName: name,
    ...(info.success && info.data.app_version ? { version: info.data.app_version } : {}),
    settingsPatch: { authUrl },
    writeRights,
  };
}

/**
 * Whether the token may create tickets, from the scope its response granted
 * (docs/psa/halo.md#creating-tickets): `all` (or `all:standard`) covers every permission the
 * application has, else `edit:tickets` must be listed. Null when Halo named no scope, or only
 * `admin`, whose reach is not documented. What the agent the application logs in as may do is not
 * in the token: only a create would tell.
 */
export function grantsTicketEdits(scope: string | undefined): boolean | null {
  return grantsScope(scope, 'edit:tickets');
}

/** Whether the granted scope covers `permission` (e.g. `edit:invoices`), by the same rule as grantsTicketEdits. */
export function grantsScope(scope: string | undefined, permission: string): boolean | null {
  const granted = (scope ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (granted.some((item) => item === 'all' || item === 'all:standard' || item === permission.toLowerCase())) return true;
  return granted.length && !granted.includes('admin') ? false : null;
}

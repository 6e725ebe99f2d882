import { missingAccess, type AccessProbe } from '../access-probe';
import { PsaError } from '../errors';
import type { ConnectionInfo, WriteRight } from '../types';
import { CW_BILLING_RIGHT } from './billing';
import type { ConnectwiseClient } from './client';
import { cwSystemInfoSchema } from './schemas';

/**
 * Test connection, in the order that gives the most specific answer: the host and company
 * (codebase lookup), then the keys (/system/info), then each module the sync reads, so a
 * missing security-role right is named instead of failing mid-sync.
 */

/** Endpoint probed -> the security-role module to grant (Hudu's ConnectWise guide). */
const MODULE_PROBES: readonly AccessProbe[] = [
  { path: 'company/companies/count', what: 'Companies › Company Maintenance (Inquire)' },
  { path: 'company/contacts/count', what: 'Companies › Contacts (Inquire)' },
  { path: 'company/configurations/count', what: 'Companies › Configurations (Inquire)' },
  { path: 'finance/agreements/count', what: 'Finance › Agreements (Inquire)' },
  { path: 'service/tickets/count', what: 'Service Desk › Service Tickets (Inquire)' },
];

/**
 * Creating tickets needs Add on Service Tickets. ConnectWise has no read-only way to learn a
 * security role's levels (Inquire passing says nothing about Add), and we never write to find
 * out, so it stays unknown until the first ticket (docs/psa/connectwise.md#creating-tickets).
 */
const TICKET_CREATE_RIGHT: WriteRight = { what: 'Service Desk › Service Tickets (Add)', usedFor: 'create tickets', allowed: null };

/** Billing counts add agreement additions and change their quantity; unknown for the same reason (docs/psa/connectwise.md#billing-counts). */
const BILLING_RIGHT: WriteRight = { what: CW_BILLING_RIGHT, usedFor: 'update billing quantities on agreements', allowed: null };

export async function testConnectwiseConnection(client: ConnectwiseClient): Promise<ConnectionInfo> {
  const info = await client.companyInfo();
  const codebase = await client.resolveCodebase();

  let systemInfo: unknown;
  try {
    systemInfo = await client.get('system/info');
  } catch (error) {
    if (error instanceof PsaError && error.code === 'permission') {
      // ConnectWise answers 403 when the clientId header is missing or not recognised.
      throw new PsaError('permission', `${error.message} Check the Client ID: ConnectWise requires one registered at developer.connectwise.com.`, {
        status: 403,
        field: 'clientId',
      });
    }
    throw error;
  }
  const version = cwSystemInfoSchema.safeParse(systemInfo);

  const missing = await missingAccess(MODULE_PROBES, (path) => client.get(path), ['permission']);
  if (missing.length) {
    throw new PsaError(
      'permission',
      `The API member's security role cannot read everything Sidecar syncs. In ConnectWise, System › Security Roles, grant: ${missing.join('; ')}.`,
      { status: 403 },
    );
  }

  return {
    companyName: info.CompanyName?.trim() || client.settings.companyId,
    ...(version.success ? { version: version.data.version } : {}),
    settingsPatch: { codebase },
    writeRights: [TICKET_CREATE_RIGHT, BILLING_RIGHT],
  };
}

import { PsaError } from '../errors';
import type { ConnectionInfo } from '../types';
import type { ConnectwiseClient } from './client';
import { cwSystemInfoSchema } from './schemas';

/**
 * Test connection, in the order that gives the most specific answer: the host and company
 * (codebase lookup), then the keys (/system/info), then each module the sync reads, so a
 * missing security-role right is named instead of failing mid-sync.
 */

/** Endpoint probed -> the security-role module to grant (Hudu's ConnectWise guide). */
const MODULE_PROBES: { path: string; module: string }[] = [
  { path: 'company/companies/count', module: 'Companies › Company Maintenance (Inquire)' },
  { path: 'company/contacts/count', module: 'Companies › Contacts (Inquire)' },
  { path: 'company/configurations/count', module: 'Companies › Configurations (Inquire)' },
  { path: 'finance/agreements/count', module: 'Finance › Agreements (Inquire)' },
  { path: 'service/tickets/count', module: 'Service Desk › Service Tickets (Inquire)' },
];

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

  const missing: string[] = [];
  for (const probe of MODULE_PROBES) {
    try {
      await client.get(probe.path);
    } catch (error) {
      if (error instanceof PsaError && error.code === 'permission') missing.push(probe.module);
      else throw error;
    }
  }
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
  };
}

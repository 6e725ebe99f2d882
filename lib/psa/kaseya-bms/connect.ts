import { missingAccess, type AccessProbe } from '../access-probe';
import { PsaError } from '../errors';
import type { ConnectionInfo, WriteRight } from '../types';
import type { BmsClient } from './client';
import { BMS_BILLING_RIGHT, BMS_CATALOG_RIGHT } from './billing-refusal';
import { bmsUserInfoSchema } from './schemas';

/**
 * Test connection: sign in (tenant, user, password, API access), then one small read per list
 * the sync uses, so a missing right is named now rather than mid-sync.
 */
const PROBES: readonly AccessProbe[] = [
  { path: 'v2/crm/accounts/summary', what: 'CRM › Accounts' },
  { path: 'v2/crm/contacts/summary', what: 'CRM › Contacts' },
  { path: 'v2/servicedesk/hardwareasset/searchselect', what: 'Service Desk › Hardware Assets' },
  { path: 'v2/finance/contracts/summary', what: 'Finance › Contracts' },
];

export async function testBmsConnection(client: BmsClient): Promise<ConnectionInfo> {
  await client.accessToken(true);
  let name: string | undefined;
  try {
    const info = bmsUserInfoSchema.safeParse((await client.get('v2/security/userinfo')).result);
    if (info.success) name = info.data.businessName?.trim() || undefined;
  } catch (error) {
    if (!(error instanceof PsaError) || error.code === 'unreachable') throw error;
  }
  const missing = await missingAccess(PROBES, (path) => client.get(path, { PageSize: 1, PageNumber: 1 }), ['permission', 'auth']);
  if (missing.length) {
    throw new PsaError('permission', `The BMS API user cannot read ${missing.join(', ')}. Give its security role view access to them (and Has API Access).`, {
      status: 403,
    });
  }
  return { companyName: name ?? client.settings.tenant, writeRights: [await ticketRight(client), await billingRight(client)] };
}

/** The right creating tickets needs, as Helpdesk Buttons' guide names it (docs/psa/kaseya-bms.md#creating-tickets). */
export const BMS_TICKET_RIGHT = 'Service Desk › Tickets (View and Modify)';

/**
 * Whether the API user may create tickets, as far as a read can tell: the security role's rights
 * in `userinfo` are menu ids nobody has mapped publicly, so only a refused ticket list (no View)
 * says no; otherwise it is unknown until a ticket is created.
 */
async function ticketRight(client: BmsClient): Promise<WriteRight> {
  const refused = await missingAccess(
    [{ path: 'v2/servicedesk/tickets', what: BMS_TICKET_RIGHT }],
    (path) => client.get(path, { PageSize: 1, PageNumber: 1 }),
    ['permission'],
  );
  return { what: BMS_TICKET_RIGHT, usedFor: 'create tickets', allowed: refused.length ? false : null };
}

/**
 * Whether the API user may change contract services, as far as a read can tell (nothing is
 * written to find out): a refused service catalog says no (the contract list was probed above);
 * otherwise unknown until the first write, for the same reason as tickets.
 */
async function billingRight(client: BmsClient): Promise<WriteRight> {
  const refused = await missingAccess(
    [{ path: 'v2/admin/finance/services/search', what: BMS_CATALOG_RIGHT }],
    (path) => client.post(path, { pageSize: 1, pageNumber: 1 }),
    ['permission'],
  );
  return { what: `${BMS_BILLING_RIGHT} and ${BMS_CATALOG_RIGHT}`, usedFor: 'update billing quantities on agreements', allowed: refused.length ? false : null };
}

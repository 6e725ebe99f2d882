import { HALO_PAGE_SIZE, HaloAdapter } from '../../../lib/psa/halo/adapter.ts';
import { startHaloEmulator, type RunningHaloEmulator } from '../../emulator/halo/start.ts';
import { passThrough, truthOf, type PsaCase, type Row } from '../psa-case.ts';

/** HaloPSA against its emulator (page numbers, no timestamps on lists, OAuth client credentials). */

/** The record array of a Halo list body: `{record_count, clients|users|assets|…: []}`. */
const listKey = (body: unknown) => Object.keys(body as object).find((key) => Array.isArray((body as Record<string, unknown>)[key]))!;

export const HALO: PsaCase<RunningHaloEmulator> = {
  name: 'HaloPSA',
  kind: 'halo',
  async start({ preset = 'tiny', latencyMs, rateLimit = null } = {}) {
    const halo = await startHaloEmulator({ preset, latencyMs, rateLimit });
    const creds = halo.credentials.valid;
    const data = halo.data;
    return {
      raw: halo,
      ...passThrough(halo, { company: 'client', contact: 'user', configuration: 'asset' }, (index) => ({ name: `Added Client ${index}` })),
      adapter: (options) =>
        new HaloAdapter({
          settings: { resourceOrigin: halo.baseUrl, tenant: creds.tenant! },
          credentials: { clientId: creds.clientId, clientSecret: creds.clientSecret },
          ...options,
        }),
      revokeCredentials: () => halo.control.revokeCredentials(),
      expireTokens: () => halo.control.expireTokens(),
      truth: (matched) =>
        truthOf(
          data.clients.rows.filter((row) => row.inactive !== true).map((row) => row.id),
          { contact: data.users.rows, configuration: data.assets.rows, agreement: data.contracts.rows, site: data.sites.rows },
          (row) => Number(row.client_id),
          matched,
        ),
      companies: () => data.clients.rows.map((row) => ({ id: row.id, inactive: row.inactive === true })),
    };
  },
  lists: { company: /\/api\/Client$/i, contact: /\/api\/Users$/i, configuration: /\/api\/Asset$/i },
  pageSize: HALO_PAGE_SIZE,
  companyPage: { first: { page_no: '1' }, second: { page_no: '2' } },
  rows: (body) => (body as Record<string, Row[]>)[listKey(body)]!,
  withRows: (body, rows) => ({ ...(body as object), [listKey(body)]: rows }),
  // Client, Users and Asset rows carry no timestamp (docs/psa/halo.md#filters-and-change-tracking).
  updatedOf: () => undefined,
  contactCompanyField: 'client_id',
  setUnknownType: (row, name) => Object.assign(row, { assettype_id: 999, assettype_name: name }),
  messages: {
    notJson: /^Halo sent a response that is not JSON for Users\.$/,
    wrongShape: /^Halo sent an unexpected Users list \(no record_count\/users\)\.$/,
    revoked: /^Halo rejected the client ID or secret \(invalid_client\)/,
    denied: /^Halo refused access to Users \(403\)\. Give the API application the read:customers permission/,
  },
};

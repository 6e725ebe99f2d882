import { BMS_PAGE_SIZE, BmsAdapter } from '../../../lib/psa/kaseya-bms/adapter.ts';
import { startKaseyaBmsEmulator, type RunningKaseyaBms } from '../../emulator/kaseya-bms/start.ts';
import { passThrough, truthOf, type PsaCase, type Row } from '../psa-case.ts';

/** Kaseya BMS against its emulator (page numbers, `modifiedOn` filters, user name and password). */
export const BMS: PsaCase<RunningKaseyaBms> = {
  name: 'Kaseya BMS',
  kind: 'kaseya-bms',
  async start({ preset = 'tiny', latencyMs, rateLimit = null } = {}) {
    const bms = await startKaseyaBmsEmulator({ preset, latencyMs, rateLimit });
    const creds = bms.credentials.valid;
    const data = bms.data;
    return {
      raw: bms,
      ...passThrough(bms, { company: 'account', contact: 'contact', configuration: 'asset' }, (index) => ({ accountName: `Added Account ${index}` })),
      adapter: (options) =>
        new BmsAdapter({
          settings: { uiOrigin: bms.baseUrl, apiOrigin: bms.apiBaseUrl, tenant: creds.tenant },
          credentials: { username: creds.userName, password: creds.password },
          ...options,
        }),
      revokeCredentials: () => bms.control.revokeCredentials(),
      expireTokens: (options) => bms.control.expireTokens(options),
      truth: (matched) =>
        truthOf<{ id: number; accountId: number }>(
          data.accounts.rows.filter((row) => row.isActive !== false).map((row) => row.id),
          { contact: data.contacts.rows, configuration: data.assets.rows, agreement: data.contracts.rows, site: data.locations.rows },
          (row) => row.accountId,
          matched,
        ),
      companies: () => data.accounts.rows.map((row) => ({ id: row.id, inactive: row.isActive === false })),
    };
  },
  lists: {
    company: /\/v2\/crm\/accounts\/summary$/i,
    contact: /\/v2\/crm\/contacts\/summary$/i,
    configuration: /\/v2\/servicedesk\/hardwareasset\/searchselect$/i,
  },
  pageSize: BMS_PAGE_SIZE,
  // Pages of a full pass (a manual sync's reconcile), not of the incremental one before it.
  companyPage: { first: { PageNumber: '1', 'Filter.ModifiedOnFrom': null }, second: { PageNumber: '2', 'Filter.ModifiedOnFrom': null } },
  rows: (body) => (body as { result: Row[] }).result,
  withRows: (body, rows) => ({ ...(body as object), result: rows }),
  updatedOf: (row) => (typeof row.modifiedOn === 'string' ? row.modifiedOn : undefined),
  contactCompanyField: 'accountId',
  setUnknownType: (row, name) => void (row.categoryName = name),
  messages: {
    notJson: /^BMS sent a response that is not JSON for v2\/crm\/contacts\/summary\.$/,
    wrongShape: /^BMS sent something other than a list\.$/,
    revoked: /^BMS rejected the user name or password \(“Invalid username or password\.”\)\.$/,
    denied: /^BMS refused access to v2\/crm\/contacts\/summary \(403\)/,
  },
};

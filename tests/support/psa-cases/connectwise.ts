import { ConnectwiseAdapter } from '../../../lib/psa/connectwise/adapter.ts';
import { CW_PAGE_SIZE } from '../../../lib/psa/connectwise/paging.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { cwCompanyIdOf, cwCompanyIsLive } from '../../emulator/connectwise/facts.ts';
import { passThrough, truthOf, type PsaCase, type Row } from '../psa-case.ts';

/** ConnectWise Manage against its emulator (keyset paging, `_info.lastUpdated`, API keys). */
export const CONNECTWISE: PsaCase<RunningEmulator> = {
  name: 'ConnectWise',
  kind: 'connectwise',
  async start({ preset = 'tiny', latencyMs, rateLimit = null } = {}) {
    const cw = await startEmulator({ psa: 'connectwise', preset, latencyMs, rateLimit });
    const creds = cw.credentials.valid;
    const data = cw.data;
    const live = () => data.companies.rows.filter(cwCompanyIsLive).map((row) => row.id);
    return {
      raw: cw,
      ...passThrough(cw, { company: 'company', contact: 'contact', configuration: 'configuration' }, (index) => ({ name: `Added Company ${index}` })),
      adapter: (options) =>
        new ConnectwiseAdapter({
          settings: { host: new URL(cw.baseUrl).host, scheme: 'http', companyId: creds.companyId },
          credentials: { publicKey: creds.publicKey, privateKey: creds.privateKey, clientId: creds.clientId },
          ...options,
        }),
      revokeCredentials: () => cw.control.revokeCredentials(),
      truth: (matched) =>
        truthOf(
          live(),
          { contact: data.contacts.rows, configuration: data.configurations.rows, agreement: data.agreements.rows, site: data.sites.rows },
          cwCompanyIdOf,
          matched,
        ),
      companies: () => data.companies.rows.map((row) => ({ id: row.id, inactive: !cwCompanyIsLive(row) })),
    };
  },
  lists: { company: /\/company\/companies$/i, contact: /\/company\/contacts$/i, configuration: /\/company\/configurations$/i },
  pageSize: CW_PAGE_SIZE,
  // Keyset paging: the first page asks `id > 0`, the next ones `id > <last id read>`.
  companyPage: { first: { conditions: /^id > 0$/ }, second: { conditions: /id > [1-9]\d*\)?$/ } },
  rows: (body) => body as Row[],
  withRows: (_body, rows) => rows,
  updatedOf: (row) => (row._info as { lastUpdated?: string } | undefined)?.lastUpdated,
  contactCompanyField: 'company',
  setUnknownType: (row, name) => void (row.type = { id: 999, name }),
  messages: {
    notJson: /^ConnectWise sent a response that is not JSON for company\/contacts\.$/,
    wrongShape: /^ConnectWise sent something other than a list for company\/contacts\.$/,
    revoked: /^ConnectWise rejected the API keys \(401\)\. Check the company ID, public key and private key/,
    denied: /^ConnectWise refused access \(403\)/,
  },
};

import { ConnectwiseAdapter } from '@/lib/psa/connectwise/adapter';
import { CW_PAGE_SIZE } from '@/lib/psa/connectwise/paging';
import { startEmulator } from '../../emulator/index.ts';
import { cwCompanyIdOf, cwCompanyIsLive } from '../../emulator/connectwise/facts.ts';
import { faultMatrix, sortIds, type PsaCase, type Row } from './faults-matrix';

/** Issue #6's fault matrix against the ConnectWise emulator (the rows live in faults-matrix.ts). */

export const CONNECTWISE: PsaCase = {
  name: 'ConnectWise',
  kind: 'connectwise',
  async start() {
    const cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
    const creds = cw.credentials.valid;
    const data = cw.data;
    return {
      baseUrl: cw.baseUrl,
      adapter: (options) =>
        new ConnectwiseAdapter({
          settings: { host: new URL(cw.baseUrl).host, scheme: 'http', companyId: creds.companyId },
          credentials: { publicKey: creds.publicKey, privateKey: creds.privateKey, clientId: creds.clientId },
          ...options,
        }),
      injectFault: (fault) => cw.control.injectFault(fault),
      clearFaults: () => cw.control.clearFaults(),
      requests: () => cw.control.requests(),
      revokeCredentials: () => cw.control.revokeCredentials(),
      truth: () => {
        const live = new Set(data.companies.rows.filter(cwCompanyIsLive).map((row) => row.id));
        const of = (rows: readonly Record<string, unknown>[]) => sortIds(rows.filter((row) => live.has(cwCompanyIdOf(row))).map((row) => row.id));
        return { company: sortIds(live), contact: of(data.contacts.rows), configuration: of(data.configurations.rows), agreement: of(data.agreements.rows), site: of(data.sites.rows) };
      },
      addCompanies: (count) => {
        for (let index = 0; index < count; index++) cw.control.mutate.add('company', { name: `Added Company ${index}` });
      },
      removeCompany: (id) => void cw.control.mutate.remove('company', Number(id)),
      renameContact: (id, name) => void cw.control.mutate.rename('contact', Number(id), name),
      renameCompany: (id, name) => void cw.control.mutate.rename('company', Number(id), name),
      setNow: (at) => cw.control.setNow(at),
      close: () => cw.close(),
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

faultMatrix(CONNECTWISE);

import { SidecarDb } from '../../lib/db/schema.ts';
import type { FormValues } from '../../lib/psa/form.ts';

/**
 * Fixtures of issue #6's bad-input tests (bad-input.test.ts in tests/unit/psa, integrations,
 * setup, messaging and layouts): valid options forms to spoil one field at a time, and a snapshot
 * of every table a save or an import could touch, to show that nothing was half-saved.
 */

export const GUID = '1c2d3e4f-1111-2222-3333-444455556666';
export const VALID_FORMS: Record<'connectwise' | 'halo' | 'kaseya-bms', FormValues> = {
  connectwise: { domain: 'na.myconnectwise.net', companyId: 'acme', publicKey: 'pub', privateKey: 'priv', clientId: GUID },
  halo: { resourceServer: 'https://acme.halopsa.com', tenant: 'acme', clientId: 'halo-id', clientSecret: 'halo-secret', authServer: '' },
  'kaseya-bms': { region: 'bms.kaseya.com', customDomain: '', tenant: 'Acme Managed IT LLC', username: 'api.user', password: 'pass word', apiUrl: '' },
};
export type FormKind = keyof typeof VALID_FORMS;

/** Everything a save or an import could touch, as one comparable value. */
export async function snapshot(db: SidecarDb): Promise<string> {
  const tables = [db.layouts, db.clientSpaces, db.integrations, db.secrets, db.sortRules, db.matches, db.preferences, db.records, db.cursors] as const;
  const rows = await Promise.all(tables.map((table) => (table as { toArray(): Promise<unknown[]> }).toArray()));
  return JSON.stringify(Object.fromEntries(tables.map((table, index) => [table.name, rows[index]])));
}

export const newDb = async (prefix: string) => {
  const db = new SidecarDb(`${prefix}-${Math.random()}`);
  await db.open();
  return db;
};

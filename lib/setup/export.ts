import type { SidecarDb } from '../db/schema';
import { fitClientSpaceName } from '../match/client-space-name';
import type { Vault } from '../secrets/vault';
import { exportDocuments } from './documents';
import { SETUP_FORMAT, SETUP_VERSION, type SetupFile } from './format';

/** Everything the user set up, without documents, credentials or synced PSA data. */
export async function exportSetup(db: SidecarDb, now = new Date()): Promise<SetupFile> {
  const [layouts, clientSpaces, integrations, rules, matches] = await Promise.all([
    db.layouts.toArray(),
    db.clientSpaces.toArray(),
    db.integrations.toArray(),
    db.sortRules.toArray(),
    db.matches.toArray(),
  ]);
  return {
    format: SETUP_FORMAT,
    version: SETUP_VERSION,
    exportedAt: now.toISOString(),
    layouts: layouts.map(({ id, name, active, role, primary, fields }) => ({
      id,
      name,
      active,
      ...(role ? { role } : {}),
      ...(primary ? { primary } : {}),
      fields: fields ?? [],
    })),
    // Fitted as creation fits them, so a name stored before that rule (blank, over 200 characters) imports.
    clientSpaces: clientSpaces.map(({ id, name }) => ({ id, name: fitClientSpaceName(name, `Client space ${id}`) })),
    integrations: integrations.map((integration) => ({
      psa: integration.psa,
      uiOrigin: integration.uiOrigin,
      label: integration.label,
      ...(integration.options ? { options: integration.options } : {}),
      sortRules: rules
        .filter((rule) => rule.integrationId === integration.id)
        .sort((a, b) => a.order - b.order)
        .map(({ typeName, layoutId }) => ({ typeName, layoutId })),
      matches: matches
        .filter((match) => match.integrationId === integration.id)
        .map(({ companyRemoteId, state, clientSpaceId }) => ({ companyRemoteId, state, ...(clientSpaceId ? { clientSpaceId } : {}) })),
    })),
  };
}

/**
 * The setup file with the documentation technicians wrote (./documents.ts): background only, since
 * credentials (only with `credentials`, sealed again under the file passphrase) are opened there.
 * The caller brings the projection up to the store first.
 */
export async function exportSetupFile(
  db: SidecarDb,
  options: { credentials?: { passphrase: string; vault: Vault; iterations?: number } | undefined; now?: Date } = {},
): Promise<{ text: string; fileName: string; documents: number; credentials: number }> {
  // Documents first: a passphrase too short is refused before anything is read.
  const exported = await exportDocuments(db, options.credentials ? { credentials: options.credentials } : {});
  const setup = await exportSetup(db, options.now);
  const file: SetupFile = {
    ...setup,
    documents: exported.documents,
    ...(exported.credentialsKey ? { credentialsKey: exported.credentialsKey } : {}),
  };
  return {
    text: JSON.stringify(file, null, 2),
    fileName: `sidecar-setup-${setup.exportedAt?.slice(0, 10) ?? 'export'}.json`,
    documents: exported.documents.length,
    credentials: exported.credentials,
  };
}

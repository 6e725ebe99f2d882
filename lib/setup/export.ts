import type { SidecarDb } from '../db/schema';
import { fitClientSpaceName } from '../match/client-space-name';
import { SETUP_FORMAT, SETUP_VERSION, type SetupFile } from './format';

/** Everything the user set up, without credentials or synced PSA data. */
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

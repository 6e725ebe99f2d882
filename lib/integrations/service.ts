import Dexie from 'dexie';
import type { IntegrationRow, SidecarDb } from '../db/schema';
import { HandledError } from '../messaging/router';
import { apiOrigin, uiOrigin } from '../psa/connectwise/client';
import { parseConnectwiseForm, type ConnectwiseForm } from '../psa/connectwise/settings';
import { isPsaError } from '../psa/errors';
import { ENTITY_KINDS, type ConnectionInfo, type PsaAdapter } from '../psa/types';

/** Saving, testing and removing integrations: the options page's writes, run in the background. */

export interface SaveInput {
  integrationId?: string;
  psa: 'connectwise';
  form: ConnectwiseForm;
}

export interface SaveDeps {
  db: SidecarDb;
  /** Whether the user granted host permission for these origins (asked on the options page). */
  hasHostPermission(origins: string[]): Promise<boolean>;
  now?: () => number;
}

export async function saveIntegration(deps: SaveDeps, input: SaveInput): Promise<{ integration: IntegrationRow; note?: string }> {
  const { db } = deps;
  // Editing: blank key fields keep the saved keys, so a domain fix needs no re-typing.
  const saved = input.integrationId ? await db.secrets.get(input.integrationId) : undefined;
  const keep = (field: 'publicKey' | 'privateKey' | 'clientId') => input.form[field].trim() || saved?.credentials[field] || '';
  const parsed = parseConnectwiseForm({ ...input.form, publicKey: keep('publicKey'), privateKey: keep('privateKey'), clientId: keep('clientId') });
  if (!parsed.ok) throw new HandledError('invalid', 'Some fields need attention.', parsed.errors as Record<string, string>);
  const origin = uiOrigin(parsed.settings);
  const origins = [...new Set([origin, apiOrigin(parsed.settings)])];
  if (!(await deps.hasHostPermission(origins))) {
    throw new HandledError('permission-needed', `Sidecar needs permission to open ${parsed.settings.host}. Click Save again and choose Allow.`, {
      domain: `Permission for ${parsed.settings.host} was not granted.`,
    });
  }
  const now = (deps.now ?? Date.now)();
  return db.transaction('rw', [db.integrations, db.secrets], async () => {
    const clash = await db.integrations.where('uiOrigin').equals(origin).first();
    if (clash && clash.id !== input.integrationId) {
      throw new HandledError('invalid', 'Some fields need attention.', { domain: `${parsed.settings.host} is already configured (${clash.label}).` });
    }
    const previous = input.integrationId ? await db.integrations.get(input.integrationId) : undefined;
    if (input.integrationId && !previous) throw new HandledError('not-found', 'That integration no longer exists.');
    // The codebase belongs to the server and login company: keep it only if neither changed.
    const sameServer = previous && previous.uiOrigin === origin && previous.settings.companyId === parsed.settings.companyId;
    const settings = { ...parsed.settings, ...(sameServer && previous.settings.codebase ? { codebase: previous.settings.codebase } : {}) };
    const integration: IntegrationRow = {
      id: previous?.id ?? crypto.randomUUID(),
      psa: input.psa,
      label: `ConnectWise (${parsed.settings.host})`,
      settings,
      uiOrigin: origin,
      origins,
      createdAt: previous?.createdAt ?? now,
      ...(previous?.lastSyncAt ? { lastSyncAt: previous.lastSyncAt } : {}),
    };
    await db.integrations.put(integration);
    await db.secrets.put({ integrationId: integration.id, credentials: parsed.credentials });
    return { integration, ...(parsed.note ? { note: parsed.note } : {}) };
  });
}

export async function testIntegration(
  db: SidecarDb,
  integrationId: string,
  adapterFor: (integrationId: string) => Promise<PsaAdapter>,
  now: () => number = Date.now,
): Promise<ConnectionInfo> {
  const integration = await db.integrations.get(integrationId);
  if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
  try {
    const adapter = await adapterFor(integrationId);
    const info = await adapter.testConnection();
    await db.integrations.update(integrationId, {
      settings: { ...integration.settings, ...info.settingsPatch },
      connection: { ok: true, companyName: info.companyName, ...(info.version ? { version: info.version } : {}), testedAt: now() },
    });
    return info;
  } catch (error) {
    const code = isPsaError(error) ? error.code : 'internal';
    const message = error instanceof Error ? error.message : String(error);
    await db.integrations.update(integrationId, { connection: { ok: false, code, message, testedAt: now() } });
    throw error;
  }
}

/** Removes the integration and everything synced from it. Client spaces are the user's: kept. */
export async function removeIntegration(db: SidecarDb, integrationId: string): Promise<IntegrationRow | undefined> {
  return db.transaction('rw', [db.integrations, db.secrets, db.records, db.cursors, db.runs, db.matches, db.log], async () => {
    const integration = await db.integrations.get(integrationId);
    if (!integration) return undefined;
    for (const entity of ENTITY_KINDS) {
      await db.records.where('[integrationId+entity+remoteId]').between([integrationId, entity, Dexie.minKey], [integrationId, entity, Dexie.maxKey]).delete();
    }
    await db.cursors.where('[integrationId+entity]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).delete();
    await db.matches.where('[integrationId+companyRemoteId]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).delete();
    await db.runs.where('[integrationId+status]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).delete();
    await db.log.where('integrationId').equals(integrationId).delete();
    await db.secrets.delete(integrationId);
    await db.integrations.delete(integrationId);
    return integration;
  });
}

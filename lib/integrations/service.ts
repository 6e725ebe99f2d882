import Dexie from 'dexie';
import type { IntegrationRow, SidecarDb } from '../db/schema';
import { HandledError } from '../messaging/router';
import type { FormValues } from '../psa/form';
import { readCredentials } from '../secrets/store';
import { VaultError, type Vault } from '../secrets/vault';
import { formFor } from '../psa/forms';
import { isPsaError } from '../psa/errors';
import { ENTITY_KINDS, type ConnectionInfo, type PsaAdapter, type PsaKind } from '../psa/types';

/** Saving, testing and removing integrations: the options page's writes, run in the background. */

/** A locked vault (or damaged credentials) is the user's to fix: said plainly, nothing written. */
function vaultFailure(error: unknown): never {
  if (error instanceof VaultError) throw new HandledError(error.code, error.message);
  throw error;
}

export interface SaveInput {
  integrationId?: string;
  psa: PsaKind;
  form: FormValues;
}

export interface SaveDeps {
  db: SidecarDb;
  vault: Vault;
  /** Whether the user granted host permission for these origins (asked on the options page). */
  hasHostPermission(origins: string[]): Promise<boolean>;
  now?: () => number;
}

const sameEntries = (a: Record<string, unknown>, b: Record<string, unknown>, ignore: string[]) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((key) => !ignore.includes(key)));
  return [...keys].every((key) => a[key] === b[key]);
};

export async function saveIntegration(deps: SaveDeps, input: SaveInput): Promise<{ integration: IntegrationRow; note?: string }> {
  const { db } = deps;
  const spec = formFor(input.psa);
  if (!spec) throw new HandledError('invalid', `${input.psa} integrations are not available in this version.`);
  // Editing: blank credential fields keep the saved ones, so a domain fix needs no re-typing.
  const saved = input.integrationId ? await readCredentials(db, deps.vault, input.integrationId).catch(vaultFailure) : undefined;
  const values = { ...input.form };
  for (const field of spec.fields) {
    if (field.credential && !values[field.name]?.trim() && saved?.[field.name]) values[field.name] = saved[field.name]!;
  }
  const parsed = spec.parse(values);
  if (!parsed.ok) throw new HandledError('invalid', 'Some fields need attention.', parsed.errors);
  const { settings, credentials, uiOrigin, origins, label, note } = parsed.value;
  if (!(await deps.hasHostPermission(origins))) {
    const host = new URL(uiOrigin).host;
    throw new HandledError('permission-needed', `Sidecar needs permission to open ${host}. Click Save again and choose Allow.`, {
      [spec.fields[0]!.name]: `Permission for ${host} was not granted.`,
    });
  }
  const now = (deps.now ?? Date.now)();
  // Sealed before the transaction: WebCrypto inside it would let IndexedDB commit early.
  const sealed = await deps.vault.seal(credentials).catch(vaultFailure);
  return db.transaction('rw', [db.integrations, db.secrets], async () => {
    const clash = await db.integrations.where('uiOrigin').equals(uiOrigin).first();
    if (clash && clash.id !== input.integrationId) {
      throw new HandledError('invalid', 'Some fields need attention.', { [spec.fields[0]!.name]: `${new URL(uiOrigin).host} is already configured (${clash.label}).` });
    }
    const previous = input.integrationId ? await db.integrations.get(input.integrationId) : undefined;
    if (input.integrationId && !previous) throw new HandledError('not-found', 'That integration no longer exists.');
    // Discovered settings (e.g. ConnectWise's codebase) belong to the server: keep them only if nothing about it changed.
    const sameServer = previous && previous.psa === input.psa && previous.uiOrigin === uiOrigin && sameEntries(previous.settings, settings, spec.discoveredSettings);
    const kept = sameServer ? Object.fromEntries(spec.discoveredSettings.filter((key) => key in previous.settings).map((key) => [key, previous.settings[key]])) : {};
    const integration: IntegrationRow = {
      id: previous?.id ?? crypto.randomUUID(),
      psa: input.psa,
      label,
      settings: { ...settings, ...kept },
      uiOrigin,
      origins,
      createdAt: previous?.createdAt ?? now,
      ...(previous?.lastSyncAt ? { lastSyncAt: previous.lastSyncAt } : {}),
    };
    await db.integrations.put(integration);
    await db.secrets.put({ integrationId: integration.id, sealed });
    return { integration, ...(note ? { note } : {}) };
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
  return db.transaction('rw', [db.integrations, db.secrets, db.records, db.cursors, db.runs, db.matches, db.log, db.sortRules, db.previewSeen, db.tickets], async () => {
    const integration = await db.integrations.get(integrationId);
    if (!integration) return undefined;
    for (const entity of ENTITY_KINDS) {
      await db.records.where('[integrationId+entity+remoteId]').between([integrationId, entity, Dexie.minKey], [integrationId, entity, Dexie.maxKey]).delete();
    }
    await db.cursors.where('[integrationId+entity]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).delete();
    await db.matches.where('[integrationId+companyRemoteId]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).delete();
    const runs = db.runs.where('[integrationId+status]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]);
    await db.previewSeen.where('runId').anyOf(await runs.primaryKeys()).delete();
    await runs.delete();
    await db.sortRules.where('integrationId').equals(integrationId).delete();
    await db.tickets.where('[integrationId+ticketId]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).delete();
    await db.log.where('integrationId').equals(integrationId).delete();
    await db.secrets.delete(integrationId);
    await db.integrations.delete(integrationId);
    return integration;
  });
}

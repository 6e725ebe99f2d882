import Dexie from 'dexie';
import type { IntegrationRow, SidecarDb } from '../db/schema';
import { HandledError } from '../errors';
import type { FormValues, PsaFormSpec } from '../psa/form';
import { isKeyRowId } from '../secrets/doc-key';
import { readCredentials } from '../secrets/store';
import { VaultError, type Vault } from '../secrets/vault';
import { formFor } from '../psa/forms';
import { isPsaError } from '../psa/errors';
import { forgetSeen } from '../sync/mark-sweep';
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

/** Where credentials go: the origins (UI, API, auth server) and the PSA's own server settings. */
interface ServerTarget {
  uiOrigin: string;
  origins: string[];
  /** Absent when the form did not parse: then only the origins are compared. */
  settings?: Record<string, unknown>;
}

function sameServer(spec: PsaFormSpec, previous: IntegrationRow, psa: PsaKind, target: ServerTarget): boolean {
  const origins = (list: string[]) => [...new Set(list)].sort().join(' ');
  return (
    previous.psa === psa &&
    previous.uiOrigin === target.uiOrigin &&
    origins(previous.origins) === origins(target.origins) &&
    (!target.settings || spec.serverSettings.every((key) => previous.settings[key] === target.settings![key]))
  );
}

const lowerFirst = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

export async function saveIntegration(deps: SaveDeps, input: SaveInput): Promise<{ integration: IntegrationRow; note?: string }> {
  const { db } = deps;
  const spec = formFor(input.psa);
  if (!spec) throw new HandledError('invalid', `${input.psa} integrations are not available in this version.`);
  const previous = input.integrationId ? await db.integrations.get(input.integrationId) : undefined;
  if (input.integrationId && !previous) throw new HandledError('not-found', 'That integration no longer exists.');
  // Editing: blank credential fields take the saved ones, which are checked below to go to the same server only.
  const saved = previous ? await readCredentials(db, deps.vault, previous.id).catch(vaultFailure) : undefined;
  const values = { ...input.form };
  const reused = spec.fields.filter((field) => field.credential && !values[field.name]?.trim() && saved?.[field.name]);
  for (const field of reused) values[field.name] = saved![field.name]!;
  const parsed = spec.parse(values);
  // When the form does not parse, its server fields alone say whether the server changed.
  const serverFields = parsed.ok ? undefined : spec.origins(values);
  const target: ServerTarget | undefined = parsed.ok ? parsed.value : serverFields?.ok ? serverFields : undefined;
  // Saved keys never travel to a server they were not typed for: a changed server needs them again.
  const retype =
    previous && reused.length && target && !sameServer(spec, previous, input.psa, target)
      ? Object.fromEntries(reused.map((field) => [field.name, `Enter the ${lowerFirst(field.label)} again: the server changed.`]))
      : {};
  if (!parsed.ok || Object.keys(retype).length) {
    const message = Object.keys(retype).length ? 'The server changed: enter the credentials again.' : 'Some fields need attention.';
    throw new HandledError('invalid', message, { ...(parsed.ok ? {} : parsed.errors), ...retype });
  }
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
      throw new HandledError('invalid', 'Some fields need attention.', {
        [spec.fields[0]!.name]: `${new URL(uiOrigin).host} is already configured (${clash.label}).`,
      });
    }
    const current = input.integrationId ? await db.integrations.get(input.integrationId) : undefined;
    if (input.integrationId && !current) throw new HandledError('not-found', 'That integration no longer exists.');
    // Changed by another save since the check above: the reused keys' server is no longer known.
    if (current && reused.length && !sameServer(spec, current, input.psa, parsed.value)) {
      throw new HandledError('conflict', 'This integration was changed meanwhile. Reload the options page and save again.');
    }
    // Discovered settings (e.g. ConnectWise's codebase) belong to the server: keep them only if nothing about it changed.
    const unchanged = current && current.psa === input.psa && current.uiOrigin === uiOrigin && sameEntries(current.settings, settings, spec.discoveredSettings);
    const kept = unchanged
      ? Object.fromEntries(spec.discoveredSettings.filter((key) => key in current.settings).map((key) => [key, current.settings[key]]))
      : {};
    const integration: IntegrationRow = {
      id: current?.id ?? crypto.randomUUID(),
      psa: input.psa,
      label,
      settings: { ...settings, ...kept },
      uiOrigin,
      origins,
      createdAt: current?.createdAt ?? now,
      ...(current?.lastSyncAt ? { lastSyncAt: current.lastSyncAt } : {}),
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
      connection: {
        ok: true,
        companyName: info.companyName,
        ...(info.version ? { version: info.version } : {}),
        ...(info.writeRights ? { writeRights: info.writeRights } : {}),
        testedAt: now(),
      },
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
  return db.transaction(
    'rw',
    [db.integrations, db.secrets, db.records, db.cursors, db.runs, db.matches, db.log, db.sortRules, db.seenBatches, db.tickets],
    async () => {
      const integration = await db.integrations.get(integrationId);
      if (!integration) return undefined;
      for (const entity of ENTITY_KINDS) {
        await db.records
          .where('[integrationId+entity+remoteId]')
          .between([integrationId, entity, Dexie.minKey], [integrationId, entity, Dexie.maxKey])
          .delete();
      }
      await db.cursors.where('[integrationId+entity]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).delete();
      await db.matches.where('[integrationId+companyRemoteId]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).delete();
      const runs = db.runs.where('[integrationId+status]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]);
      await forgetSeen(db, await runs.primaryKeys());
      await runs.delete();
      await db.sortRules.where('integrationId').equals(integrationId).delete();
      await db.tickets.where('[integrationId+ticketId]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).delete();
      await db.log.where('integrationId').equals(integrationId).delete();
      // A key row (the documentation key) is no integration's, whatever id it is asked by.
      if (!isKeyRowId(integrationId)) await db.secrets.delete(integrationId);
      await db.integrations.delete(integrationId);
      return integration;
    },
  );
}

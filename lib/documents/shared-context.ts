import type { IntegrationRow, SidecarDb } from '../db/schema';
import { loadAuthor } from '../db/queries';
import { sourceDigest } from '../docstore/ids';
import { sourceKeyOf } from './places';

/**
 * What publishing and applying the team's shared setup needs to know about this browser (#15):
 * which PSA tenant (`source`) each integration syncs, under the digest shared ids use, and who this
 * install is. Computed before any Dexie transaction (the digest is WebCrypto: inside one, it would
 * let Dexie commit early), so appliers map a document to an integration synchronously.
 */
export interface SharedContext {
  installId: string | undefined;
  /** Integration id -> its tenant and digest. */
  sources: Map<string, { source: string; sourceHash: string }>;
  /** Tenant digest -> this browser's integration for it (its own, or the one the team brought). */
  byHash: Map<string, string>;
}

export async function sharedContext(db: SidecarDb, integrations?: readonly IntegrationRow[]): Promise<SharedContext> {
  const rows = integrations ?? (await db.integrations.toArray());
  const sources = new Map<string, { source: string; sourceHash: string }>();
  const byHash = new Map<string, string>();
  for (const integration of rows) {
    let source: string;
    try {
      source = integration.team?.source ?? sourceKeyOf(integration);
    } catch {
      continue; // incomplete settings: nothing of it is shared
    }
    const sourceHash = integration.team?.sourceHash ?? (await sourceDigest(source));
    sources.set(integration.id, { source, sourceHash });
    // An own integration wins over one the team brought for the same tenant.
    if (!byHash.has(sourceHash) || !integration.team) byHash.set(sourceHash, integration.id);
  }
  return { installId: (await loadAuthor(db))?.installId, sources, byHash };
}

/** The integration id a member without one of its own gives a tenant the team brought. */
export const teamIntegrationId = (sourceHash: string): string => `team-${sourceHash}`;

/** Fields compared between a row and its document, in a stable order. */
export function sameFields(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return stableJson(a) === stableJson(b);
}

export function stableJson(value: unknown): string {
  return JSON.stringify(sorted(value));
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function pick(doc: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((field) => doc[field] !== undefined).map((field) => [field, doc[field]]));
}

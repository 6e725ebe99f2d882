import { z } from 'zod';
import { browser } from '../browser';

/**
 * What an MSP's administrator set for every technician's browser by policy (`storage.managed`,
 * schema in public/managed-schema.json): the team server and database. The Team panel fills them
 * in and locks them; a join with other values is refused. No policy (or a browser without managed
 * storage): nothing set.
 */

export const managedTeamSchema = z.object({
  teamServerUrl: z.string().max(2_000).optional(),
  teamDatabase: z.string().max(300).optional(),
});

export async function managedTeamSettings(): Promise<{ serverUrl?: string; database?: string }> {
  let raw: unknown;
  try {
    raw = await browser.storage.managed.get(['teamServerUrl', 'teamDatabase']);
  } catch {
    return {}; // no policy here (Firefox without a managed manifest, or none installed)
  }
  const parsed = managedTeamSchema.safeParse(raw);
  if (!parsed.success) return {};
  const serverUrl = parsed.data.teamServerUrl?.trim().replace(/\/+$/, '');
  const database = parsed.data.teamDatabase?.trim();
  return { ...(serverUrl ? { serverUrl } : {}), ...(database ? { database } : {}) };
}

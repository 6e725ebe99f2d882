import type { SidecarDb, TeamPreference, TeamStatusPreference } from '../db/schema';
import { KEY_ROW_PREFIX, TEAM_KEY_ROWS, sealTeamKeyRow } from '../secrets/doc-key';
import { teamKeyId } from './team-doc';
import type { Vault } from '../secrets/vault';
import type { TeamSettings } from './settings';

/**
 * Where this browser keeps its team (#15): the `team` preference (server, database, user, team id),
 * the login password as a sealed `secrets` row (a `key:` row, so it is never taken for an
 * integration's credentials nor removed with one), and the replication's status for the pages.
 */

const LOGIN_ROW = `${KEY_ROW_PREFIX}team-login`;

export async function teamMembership(db: SidecarDb): Promise<TeamPreference | undefined> {
  const row = await db.preferences.get('team');
  return row?.id === 'team' ? row : undefined;
}

export async function teamStatus(db: SidecarDb): Promise<TeamStatusPreference | undefined> {
  const row = await db.preferences.get('team-status');
  return row?.id === 'team-status' ? row : undefined;
}

/**
 * The membership, its sealed login and the team key (replacing any other team's), in one
 * transaction: sealed before it, since WebCrypto inside would let Dexie commit early.
 */
export async function saveMembership(
  db: SidecarDb,
  vault: Vault,
  settings: TeamSettings,
  team: { teamId: string; rawKey: Uint8Array<ArrayBuffer> },
  now = Date.now(),
): Promise<TeamPreference> {
  const sealed = await vault.seal({ password: settings.password });
  const keyRow = await sealTeamKeyRow(vault, teamKeyId(team.teamId), team.rawKey);
  const teamId = team.teamId;
  const membership: TeamPreference = {
    id: 'team',
    serverUrl: settings.serverUrl,
    database: settings.database,
    username: settings.username,
    teamId,
    joinedAt: now,
  };
  await db.transaction('rw', db.preferences, db.secrets, async () => {
    await db.preferences.put(membership);
    const status: TeamStatusPreference = { id: 'team-status', state: 'starting', at: now };
    await db.preferences.put(status);
    await db.secrets.put({ integrationId: LOGIN_ROW, sealed });
    await db.secrets.where('integrationId').startsWith(TEAM_KEY_ROWS).delete();
    await db.secrets.put(keyRow);
  });
  return membership;
}

/** The membership with its password, to replicate with (throws VaultError 'locked' while the vault is locked). */
export async function teamLogin(db: SidecarDb, vault: Vault): Promise<TeamSettings | undefined> {
  const membership = await teamMembership(db);
  const row = await db.secrets.get(LOGIN_ROW);
  if (!membership || !row?.sealed) return undefined;
  const { password } = await vault.open(row.sealed);
  if (!password) return undefined;
  return { serverUrl: membership.serverUrl, database: membership.database, username: membership.username, password };
}

/** Leaving: the membership, its login and the team key go together. */
export async function forgetMembership(db: SidecarDb): Promise<void> {
  await db.transaction('rw', db.preferences, db.secrets, async () => {
    await db.preferences.bulkDelete(['team', 'team-status']);
    await db.secrets.delete(LOGIN_ROW);
    await db.secrets.where('integrationId').startsWith(TEAM_KEY_ROWS).delete();
  });
}

/**
 * Saves the replication's status; `lastReplicatedAt` is kept unless given. Written only when it
 * changes (a live replication reports often), while the membership still exists.
 */
export async function saveTeamStatus(db: SidecarDb, next: Omit<TeamStatusPreference, 'id' | 'at'>, now = Date.now()): Promise<void> {
  await db.transaction('rw', db.preferences, async () => {
    if (!(await teamMembership(db))) return;
    const current = await teamStatus(db);
    const merged: TeamStatusPreference = {
      id: 'team-status',
      state: next.state,
      ...(next.message ? { message: next.message } : {}),
      ...((next.lastReplicatedAt ?? current?.lastReplicatedAt) ? { lastReplicatedAt: next.lastReplicatedAt ?? current?.lastReplicatedAt } : {}),
      at: now,
    };
    if (current && current.state === merged.state && current.message === merged.message && current.lastReplicatedAt === merged.lastReplicatedAt) return;
    await db.preferences.put(merged);
  });
}

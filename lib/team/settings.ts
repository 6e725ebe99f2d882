import { z } from 'zod';

/**
 * What a person types in the Team panel to reach the team's CouchDB (#15): the server, the
 * database and their own CouchDB login. The team passphrase is not here: it never leaves the
 * browser, while these settings describe where the browser connects.
 */

export const TEAM_DATABASE_NAME_MAX = 238;
export const TEAM_USERNAME_MAX = 200;
export const TEAM_PASSWORD_MAX = 1_000;

const SERVER_EXAMPLE = 'https://couchdb.example.com';
/** CouchDB's rule for a database name (its own `_users`, `_replicator` start with `_`: not team databases). */
const DATABASE_NAME = /^[a-z][a-z0-9_$()+/-]*$/;

/** Loopback (this computer): 127.0.0.0/8, localhost, [::1]. `URL` has already normalised the host. */
export function isLoopbackHostname(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** A field's text: `missing` when absent or blank, `what` names it when it is not a string at all. */
const text = (what: string, missing: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined || issue.input === null ? missing : `${what} must be text.`) })
    .trim()
    .min(1, missing);

const serverUrl = text('The team server’s address', `Enter the team server’s address, for example ${SERVER_EXAMPLE}.`).transform((raw, context) => {
  const fail = (message: string) => {
    context.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    return fail(`Enter the team server’s full address, starting with https://, for example ${SERVER_EXAMPLE}.`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`“${raw}” is not a valid address. Enter it like ${SERVER_EXAMPLE}.`);
  }
  if (url.username || url.password) return fail('Enter the team server’s address without a user name or password: they go in the User and Password fields.');
  if (url.search || raw.includes('?')) return fail('The team server’s address cannot have a query (the part from “?”).');
  if (url.hash || raw.includes('#')) return fail('The team server’s address cannot have a fragment (the part from “#”).');
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    return fail(
      'The team server’s address must start with https://: your password and the team’s data would otherwise cross the network unencrypted. Only a server on this computer (localhost, 127.x.x.x, [::1]) may use http://.',
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
});

const database = text('The team database’s name', 'Enter the team database’s name, for example sidecar-team.')
  .max(TEAM_DATABASE_NAME_MAX, `A CouchDB database name is at most ${TEAM_DATABASE_NAME_MAX} characters long.`)
  .regex(
    DATABASE_NAME,
    'The team database’s name must start with a lowercase letter and hold only lowercase letters, digits and _ $ ( ) + - / (CouchDB’s rule), for example sidecar-team.',
  );

const username = text('The user name', 'Enter your CouchDB user name.')
  .max(TEAM_USERNAME_MAX, `The user name is at most ${TEAM_USERNAME_MAX} characters long.`)
  // Basic auth splits "name:password" at the first colon, and CouchDB refuses such names.
  .refine((name) => !name.includes(':'), 'A CouchDB user name cannot contain “:”.');

// Kept exactly as typed (not trimmed): a space may be part of a password.
const password = z
  .string({ error: (issue) => (issue.input === undefined || issue.input === null ? 'Enter your CouchDB password.' : 'The password must be text.') })
  .min(1, 'Enter your CouchDB password.')
  .max(TEAM_PASSWORD_MAX, `The password is at most ${TEAM_PASSWORD_MAX.toLocaleString('en')} characters long.`);

/** Unknown keys (the passphrase, if a form passes it along) are dropped. */
export const teamSettingsSchema = z.object({ serverUrl, database, username, password });

export type TeamSettings = z.output<typeof teamSettingsSchema>;
export type TeamSettingsField = keyof TeamSettings;

export type TeamSettingsResult = { ok: true; settings: TeamSettings } | { ok: false; field: TeamSettingsField; message: string };

const FIELDS: readonly TeamSettingsField[] = ['serverUrl', 'database', 'username', 'password'];

/** Parses the Team panel's fields; on failure, the first field in the panel's order that is wrong and why. */
export function parseTeamSettings(input: unknown): TeamSettingsResult {
  const values = typeof input === 'object' && input !== null ? input : {};
  const result = teamSettingsSchema.safeParse(values);
  if (result.success) return { ok: true, settings: result.data };
  const issue = result.error.issues[0]!;
  const field = FIELDS.find((name) => name === issue.path[0]) ?? 'serverUrl';
  return { ok: false, field, message: issue.message };
}

/** The team database's address: the server URL, then the database name as one path segment. */
export function teamDatabaseUrl(settings: Pick<TeamSettings, 'serverUrl' | 'database'>): string {
  return `${settings.serverUrl}/${encodeURIComponent(settings.database)}`;
}

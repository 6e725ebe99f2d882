import ky, { NetworkError, TimeoutError } from 'ky';
import { z } from 'zod';
import { teamDatabaseUrl, type TeamSettings, type TeamSettingsField } from './settings';

/**
 * Talking to the team's CouchDB over HTTP (#15), shared by the Team panel's test (probe.ts) and the
 * sync lease (lease.ts): one request helper (ky, Basic auth, no retries, no redirects followed) and
 * what each refusal means, as a TeamServerError with a code and a message for the panel.
 */

export type TeamFailureCode = 'unreachable' | 'not-couchdb' | 'login' | 'no-database' | 'not-member' | 'not-sidecar' | 'server';

export interface TeamFailure {
  ok: false;
  code: TeamFailureCode;
  message: string;
  /** The Team panel field to fix, when one is to blame. */
  field?: TeamSettingsField;
}

export interface TeamRequestOptions {
  fetch?: typeof fetch;
  /** Per request; default TEAM_REQUEST_TIMEOUT_MS. */
  timeoutMs?: number;
}

export const TEAM_REQUEST_TIMEOUT_MS = 10_000;

/** A classified failure to talk to the team server, thrown by putTeamDoc and the lease functions. */
export class TeamServerError extends Error {
  readonly code: TeamFailureCode;
  readonly field?: TeamSettingsField;

  constructor(code: TeamFailureCode, message: string, field?: TeamSettingsField) {
    super(message);
    this.name = 'TeamServerError';
    this.code = code;
    if (field) this.field = field;
  }

  toFailure(): TeamFailure {
    return { ok: false, code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

/** CouchDB's `GET /` (`{"couchdb":"Welcome",…}`) or express-pouchdb's (`{"express-pouchdb":"Welcome!",…}`). */
const welcomeSchema = z.union([z.looseObject({ couchdb: z.literal('Welcome') }), z.looseObject({ 'express-pouchdb': z.string().startsWith('Welcome') })]);
const sessionSchema = z.looseObject({ userCtx: z.looseObject({ name: z.string().nullable(), roles: z.array(z.string()) }) });
const databaseInfoSchema = z.looseObject({ db_name: z.string(), doc_count: z.number().int().nonnegative() });
export const couchErrorSchema = z.looseObject({ error: z.string(), reason: z.string().optional() });

export interface Answer {
  status: number;
  /** The parsed JSON, or undefined when the body is not JSON. */
  body: unknown;
}

/** One team server as the settings describe it: requests, and what each refusal means. */
export class TeamConnection {
  private readonly settings: TeamSettings;
  private readonly options: TeamRequestOptions;
  private readonly host: string;
  private readonly authorization: string;
  readonly databaseUrl: string;

  constructor(settings: TeamSettings, options: TeamRequestOptions) {
    this.settings = settings;
    this.options = options;
    this.host = new URL(settings.serverUrl).host;
    this.authorization = basicAuthorization(settings.username, settings.password);
    this.databaseUrl = teamDatabaseUrl(settings);
  }

  /**
   * GET / without the login first, so the password goes only to a server that answers as CouchDB.
   * A CouchDB that requires a login for everything (require_valid_user) answers 401: ask again with it.
   */
  async checkWelcome(): Promise<void> {
    const root = `${this.settings.serverUrl}/`;
    let answer = await this.request('GET', root, { authenticated: false });
    if (answer.status === 401 && couchErrorSchema.safeParse(answer.body).success) {
      answer = await this.request('GET', root, { authenticated: true });
      if (answer.status === 401 && couchErrorSchema.safeParse(answer.body).success) throw this.loginRefused();
    }
    if (answer.status >= 500) throw this.unexpected(answer);
    if (answer.status !== 200 || !welcomeSchema.safeParse(answer.body).success) throw this.notCouchdb();
  }

  /** `GET /_session` with the login: does the server know this user and password? */
  async checkLogin(): Promise<void> {
    const answer = await this.request('GET', `${this.settings.serverUrl}/_session`, { authenticated: true });
    if (answer.status === 401) throw this.loginRefused();
    if (answer.status !== 200) throw this.unexpected(answer);
    const session = sessionSchema.safeParse(answer.body);
    if (!session.success) throw this.notCouchdb();
    // A proxy that drops the Authorization header leaves the session anonymous.
    if (session.data.userCtx.name !== this.settings.username) throw this.loginRefused();
  }

  async readDatabaseInfo(): Promise<z.infer<typeof databaseInfoSchema>> {
    const answer = await this.request('GET', this.databaseUrl, { authenticated: true });
    if (answer.status !== 200) throw await this.databaseFailure(answer);
    const info = databaseInfoSchema.safeParse(answer.body);
    if (!info.success) throw this.notCouchdb();
    return info.data;
  }

  /** A document's address in the team database (the id is one path segment, whatever it holds). */
  docUrl(id: string): string {
    return `${this.databaseUrl}/${encodeURIComponent(id)}`;
  }

  /** What a refusal of a database request means: a wrong login, a non-member, no such database. */
  async databaseFailure(answer: Answer): Promise<TeamServerError> {
    if (answer.status === 404) return this.noDatabase();
    if (answer.status === 401 || answer.status === 403) {
      // CouchDB answers 401 to a wrong password; pouchdb-server also to a non-member (CouchDB 3: 403).
      const session = await this.request('GET', `${this.settings.serverUrl}/_session`, { authenticated: true });
      return session.status === 401 ? this.loginRefused() : this.notMember();
    }
    return this.unexpected(answer);
  }

  async request(method: 'GET' | 'PUT', url: string, how: { authenticated: boolean; json?: unknown }): Promise<Answer> {
    const timeoutMs = this.options.timeoutMs ?? TEAM_REQUEST_TIMEOUT_MS;
    let response: Response;
    try {
      response = await ky(url, {
        method,
        headers: { accept: 'application/json', ...(how.authenticated ? { authorization: this.authorization } : {}) },
        ...(how.json === undefined ? {} : { json: how.json }),
        timeout: timeoutMs,
        // The panel's test answers at once; replication retries on its own later.
        retry: 0,
        throwHttpErrors: false,
        // Credentials go only to the address the user entered.
        redirect: 'manual',
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      });
    } catch (error) {
      if (error instanceof TimeoutError) {
        throw new TeamServerError(
          'unreachable',
          `${this.host} did not answer within ${Math.round(timeoutMs / 100) / 10} seconds: the address may be wrong or the server down.`,
          'serverUrl',
        );
      }
      if (error instanceof NetworkError || error instanceof TypeError) {
        throw new TeamServerError('unreachable', `Could not reach ${this.host}: the address may be wrong or the server down.`, 'serverUrl');
      }
      throw error;
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      throw new TeamServerError(
        'not-couchdb',
        `${this.host} redirected Sidecar${location ? ` to ${location}` : ''}; Sidecar sends the login only to the address you entered, so it did not follow. Enter the CouchDB server’s own address.`,
        'serverUrl',
      );
    }
    const text = await response.text();
    return { status: response.status, body: parseJson(text) };
  }

  loginRefused(): TeamServerError {
    return new TeamServerError('login', `${this.host} refused the login: the user name or password is wrong.`, 'password');
  }

  notCouchdb(): TeamServerError {
    return new TeamServerError(
      'not-couchdb',
      `${this.settings.serverUrl} answered, but not as a CouchDB server does. Check the team server’s address: it is the one where CouchDB answers {"couchdb":"Welcome"}.`,
      'serverUrl',
    );
  }

  noDatabase(): TeamServerError {
    return new TeamServerError(
      'no-database',
      `There is no database “${this.settings.database}” on ${this.host}. Sidecar does not create it: a CouchDB admin must create it and add you to its _security members (README, “Team”).`,
      'database',
    );
  }

  notMember(): TeamServerError {
    return new TeamServerError(
      'not-member',
      `${this.host} accepted the login, but “${this.settings.username}” is not (or no longer) a member of the database “${this.settings.database}”. A CouchDB admin must add you to its _security members.`,
    );
  }

  notSidecar(why: string): TeamServerError {
    return new TeamServerError(
      'not-sidecar',
      `The database “${this.settings.database}” on ${this.host} is not a Sidecar team database (${why}). Nothing was changed: check the database’s name.`,
      'database',
    );
  }

  unexpected(answer: Answer): TeamServerError {
    const error = couchErrorSchema.safeParse(answer.body);
    const detail = error.success ? `: ${(error.data.reason ?? error.data.error).slice(0, 200)}` : '';
    const what = answer.status >= 500 ? `with a server error (HTTP ${answer.status})` : `HTTP ${answer.status} unexpectedly`;
    return new TeamServerError('server', `${this.host} answered ${what}${detail}.`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `Basic base64(name:password)`, UTF-8 encoded (btoa alone refuses characters beyond Latin-1). */
function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

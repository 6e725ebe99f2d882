import ky, { NetworkError, TimeoutError } from 'ky';
import { z } from 'zod';
import { teamDatabaseUrl, type TeamSettings, type TeamSettingsField } from './settings';
import { TEAM_DOC_ID, teamDocSchema, type TeamDoc } from './team-doc';

/**
 * The Team panel's test (#15): is this a CouchDB, does it take the login, does the database exist
 * with the user as a member, and is it a Sidecar team already (its `sidecar:team` document) or
 * empty (the first member sets it up with putTeamDoc). It only reads, and never creates a database:
 * a CouchDB admin does that. Each answer is zod-checked; every failure is one of the codes below,
 * with a message for the panel. pouchdb-server refuses a non-member with 401 where CouchDB 3
 * answers 403: both mean refused here.
 */

export type TeamFailureCode = 'unreachable' | 'not-couchdb' | 'login' | 'no-database' | 'not-member' | 'not-sidecar' | 'server';

export interface TeamFailure {
  ok: false;
  code: TeamFailureCode;
  message: string;
  /** The Team panel field to fix, when one is to blame. */
  field?: TeamSettingsField;
}

export type TeamProbe = { ok: true; state: 'joined-team'; team: TeamDoc; docCount: number } | { ok: true; state: 'empty'; docCount: 0 } | TeamFailure;

export type PutTeamDocResult = { ok: true; rev: string } | { ok: false; code: 'taken'; team: TeamDoc };

export interface TeamRequestOptions {
  fetch?: typeof fetch;
  /** Per request; default TEAM_REQUEST_TIMEOUT_MS. */
  timeoutMs?: number;
}

export const TEAM_REQUEST_TIMEOUT_MS = 10_000;

/** A classified failure to talk to the team server, thrown by putTeamDoc. */
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
const putAnswerSchema = z.looseObject({ ok: z.literal(true), id: z.literal(TEAM_DOC_ID), rev: z.string().min(1) });
const couchErrorSchema = z.looseObject({ error: z.string(), reason: z.string().optional() });

/** Is this a CouchDB, may this login use the database, and is it a Sidecar team or empty? */
export async function probeTeam(settings: TeamSettings, options: TeamRequestOptions = {}): Promise<TeamProbe> {
  const connection = new TeamConnection(settings, options);
  try {
    await connection.checkWelcome();
    await connection.checkLogin();
    const info = await connection.readDatabaseInfo();
    if (info.doc_count === 0) return { ok: true, state: 'empty', docCount: 0 };
    const team = await connection.readTeamDoc();
    if (!team) throw connection.notSidecar('it holds documents but no sidecar:team document');
    return { ok: true, state: 'joined-team', team, docCount: info.doc_count };
  } catch (error) {
    if (error instanceof TeamServerError) return error.toFailure();
    throw error;
  }
}

/**
 * Writes the team document that sets the team up. If another member set it up first (409), reads
 * and answers theirs: the caller joins that team instead. Other failures throw TeamServerError.
 */
export async function putTeamDoc(settings: TeamSettings, doc: TeamDoc, options: TeamRequestOptions = {}): Promise<PutTeamDocResult> {
  const valid = teamDocSchema.safeParse(doc);
  // A malformed team document would make the database "not a Sidecar team" for every member.
  if (!valid.success) throw new TypeError(`putTeamDoc: the team document is not valid: ${z.prettifyError(valid.error)}`);
  const connection = new TeamConnection(settings, options);
  const answer = await connection.request('PUT', connection.teamDocUrl, { authenticated: true, json: valid.data });
  if (answer.status === 201 || answer.status === 202) {
    const written = putAnswerSchema.safeParse(answer.body);
    if (!written.success) throw connection.notCouchdb();
    return { ok: true, rev: written.data.rev };
  }
  if (answer.status === 409) {
    const team = await connection.readTeamDoc();
    if (!team) throw connection.unexpected(answer);
    return { ok: false, code: 'taken', team };
  }
  throw await connection.databaseFailure(answer);
}

interface Answer {
  status: number;
  /** The parsed JSON, or undefined when the body is not JSON. */
  body: unknown;
}

/** One team server as the settings describe it: requests, and what each refusal means. */
class TeamConnection {
  private readonly settings: TeamSettings;
  private readonly options: TeamRequestOptions;
  private readonly host: string;
  private readonly authorization: string;
  readonly databaseUrl: string;
  readonly teamDocUrl: string;

  constructor(settings: TeamSettings, options: TeamRequestOptions) {
    this.settings = settings;
    this.options = options;
    this.host = new URL(settings.serverUrl).host;
    this.authorization = basicAuthorization(settings.username, settings.password);
    this.databaseUrl = teamDatabaseUrl(settings);
    this.teamDocUrl = `${this.databaseUrl}/${encodeURIComponent(TEAM_DOC_ID)}`;
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

  /** The team document; undefined when there is none; TeamServerError 'not-sidecar' when it is malformed. */
  async readTeamDoc(): Promise<TeamDoc | undefined> {
    const answer = await this.request('GET', this.teamDocUrl, { authenticated: true });
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw await this.databaseFailure(answer);
    const team = teamDocSchema.safeParse(answer.body);
    if (!team.success) throw this.notSidecar('its sidecar:team document is not one Sidecar wrote');
    return team.data;
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

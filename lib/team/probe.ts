import { z } from 'zod';
import { TeamConnection, TeamServerError, type TeamFailure, type TeamRequestOptions } from './connection';
import type { TeamSettings } from './settings';
import { TEAM_DOC_ID, teamDocSchema, type TeamDoc } from './team-doc';

/**
 * The Team panel's test (#15): is this a CouchDB, does it take the login, does the database exist
 * with the user as a member, and is it a Sidecar team already (its `sidecar:team` document) or
 * empty (the first member sets it up with putTeamDoc). It only reads, and never creates a database:
 * a CouchDB admin does that. Each answer is zod-checked; every failure is one of the codes below,
 * with a message for the panel. pouchdb-server refuses a non-member with 401 where CouchDB 3
 * answers 403: both mean refused here.
 */

export { TEAM_REQUEST_TIMEOUT_MS, TeamServerError, type TeamFailure, type TeamFailureCode, type TeamRequestOptions } from './connection';

export type TeamProbe = { ok: true; state: 'joined-team'; team: TeamDoc; docCount: number } | { ok: true; state: 'empty'; docCount: 0 } | TeamFailure;

export type PutTeamDocResult = { ok: true; rev: string } | { ok: false; code: 'taken'; team: TeamDoc };

const putAnswerSchema = z.looseObject({ ok: z.literal(true), id: z.literal(TEAM_DOC_ID), rev: z.string().min(1) });

/** Is this a CouchDB, may this login use the database, and is it a Sidecar team or empty? */
export async function probeTeam(settings: TeamSettings, options: TeamRequestOptions = {}): Promise<TeamProbe> {
  const connection = new TeamConnection(settings, options);
  try {
    await connection.checkWelcome();
    await connection.checkLogin();
    const info = await connection.readDatabaseInfo();
    if (info.doc_count === 0) return { ok: true, state: 'empty', docCount: 0 };
    const team = await readTeamDoc(connection);
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
  const answer = await connection.request('PUT', connection.docUrl(TEAM_DOC_ID), { authenticated: true, json: valid.data });
  if (answer.status === 201 || answer.status === 202) {
    const written = putAnswerSchema.safeParse(answer.body);
    if (!written.success) throw connection.notCouchdb();
    return { ok: true, rev: written.data.rev };
  }
  if (answer.status === 409) {
    const team = await readTeamDoc(connection);
    if (!team) throw connection.unexpected(answer);
    return { ok: false, code: 'taken', team };
  }
  throw await connection.databaseFailure(answer);
}

/** The team document; undefined when there is none; TeamServerError 'not-sidecar' when it is malformed. */
async function readTeamDoc(connection: TeamConnection): Promise<TeamDoc | undefined> {
  const answer = await connection.request('GET', connection.docUrl(TEAM_DOC_ID), { authenticated: true });
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw await connection.databaseFailure(answer);
  const team = teamDocSchema.safeParse(answer.body);
  if (!team.success) throw connection.notSidecar('its sidecar:team document is not one Sidecar wrote');
  return team.data;
}

import type { EmuContext, EmuRequest, EmuResponse } from '../framework/types.ts';
import { jsonResponse } from '../framework/types.ts';
import { EMPTY_DATE, haloDateTime } from './dates.ts';
import { AGENTS, DEFAULT_TICKET_TYPE_ID, PRIORITIES, TEAM_RECORDS, TICKET_STATUSES, TICKET_TYPES } from './lookups.ts';
import type { HaloMutator } from './mutations.ts';
import type { Serializer } from './serialize.ts';
import type { HaloRecord, HaloStore } from './store.ts';

/**
 * `POST /api/Tickets` (docs/psa/halo.md#creating-tickets): the spec's request body is an array of
 * `Faults`; an item without an id (or id 0) is a new ticket. Binding is Newtonsoft's: property
 * names in any casing, unknown ones ignored, numeric strings accepted for ints; a value that does
 * not bind is 400 with a JSON object keyed by the item's path (`[0].client_id`), the shape n8n
 * parses. Business refusals are 400 with plain text, as n8n quotes a real one ("CODE:APP03/2
 * Please select the CAB members to approve") — the texts here are [INFER]. One item answers the
 * created ticket as a bare object (observed: moodle-local_cts_co); several answer an array [INFER].
 */

export interface CreateDeps {
  store: HaloStore;
  mutator: HaloMutator;
  serializer: Serializer;
  /** The calling agent may see this client (Client Access Level). */
  visible(clientId: number): boolean;
}

const INT_FIELDS = ['id', 'client_id', 'site_id', 'user_id', 'tickettype_id', 'agent_id', 'priority_id', 'status_id', 'team_id', 'sla_id'] as const;
const TEXT_FIELDS = ['summary', 'details', 'team', 'category_1', 'category_2', 'category_3', 'category_4'] as const;
type IntField = (typeof INT_FIELDS)[number];
type TextField = (typeof TEXT_FIELDS)[number];

interface Bound {
  ints: Partial<Record<IntField, number>>;
  texts: Partial<Record<TextField, string>>;
  assets: number[];
  dateoccurred?: number;
}

// Fields declared apart from the constructor: `npm run emulator` and the demo run this file with
// Node's type stripping, which refuses parameter properties.
class BindError {
  readonly errors: Record<string, string[]>;
  constructor(errors: Record<string, string[]>) {
    this.errors = errors;
  }
}

class Refusal {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

const text400 = (message: string): EmuResponse => ({ status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: message });

function toInt(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

/** One array item, bound like Newtonsoft into Faults (names case-insensitive, unknown ignored). */
function bind(item: unknown, index: number): Bound {
  const at = (key: string) => `[${index}].${key}`;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new BindError({ [`[${index}]`]: [`Error converting value to type 'Faults'. Path '[${index}]'.`] });
  }
  const sent = new Map(Object.entries(item).map(([key, value]) => [key.toLowerCase(), value]));
  const errors: Record<string, string[]> = {};
  const bound: Bound = { ints: {}, texts: {}, assets: [] };
  for (const key of INT_FIELDS) {
    const value = sent.get(key);
    if (value === undefined || value === null) continue;
    const n = toInt(value);
    if (n === undefined) errors[at(key)] = [`Could not convert ${typeof value} to integer: ${String(value)}. Path '${at(key)}'.`];
    else bound.ints[key] = n;
  }
  for (const key of TEXT_FIELDS) {
    const value = sent.get(key);
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') errors[at(key)] = [`Unexpected character encountered while parsing value. Path '${at(key)}'.`];
    else bound.texts[key] = String(value);
  }
  const assets = sent.get('assets');
  if (assets !== undefined && assets !== null) {
    if (!Array.isArray(assets)) errors[at('assets')] = [`Cannot deserialize the current JSON value into type 'List<Device_List>'. Path '${at('assets')}'.`];
    else
      assets.forEach((asset, i) => {
        const id =
          typeof asset === 'object' && asset !== null ? toInt((asset as Record<string, unknown>).id ?? (asset as Record<string, unknown>).ID) : undefined;
        if (id === undefined) errors[at(`assets[${i}].id`)] = [`Could not convert value to integer. Path '${at(`assets[${i}].id`)}'.`];
        else bound.assets.push(id);
      });
  }
  const date = sent.get('dateoccurred');
  if (date !== undefined && date !== null) {
    const withZone = typeof date === 'string' && !/(?:Z|[+-]\d\d:?\d\d)$/i.test(date) ? `${date}Z` : date;
    const ms = typeof withZone === 'string' ? Date.parse(withZone) : NaN;
    if (Number.isNaN(ms)) errors[at('dateoccurred')] = [`Could not convert string to DateTime: ${String(date)}. Path '${at('dateoccurred')}'.`];
    else bound.dateoccurred = ms;
  }
  if (Object.keys(errors).length) throw new BindError(errors);
  return bound;
}

/** Halo's checks on a new ticket; each refusal is the first problem found [INFER wording]. */
function resolve(b: Bound, deps: CreateDeps, now: number): Record<string, unknown> {
  const { store } = deps;
  const summary = b.texts.summary?.trim();
  if (!summary) throw new Refusal('Please enter a Summary for the ticket.');
  const user = b.ints.user_id ? store.users.get(b.ints.user_id) : undefined;
  if (b.ints.user_id && !user) throw new Refusal(`User ${b.ints.user_id} does not exist.`);
  const site = b.ints.site_id ? store.sites.get(b.ints.site_id) : undefined;
  if (b.ints.site_id && !site) throw new Refusal(`Site ${b.ints.site_id} does not exist.`);
  const clientId = b.ints.client_id || Number(user?.client_id ?? site?.client_id ?? 0);
  const client = clientId ? store.clients.get(clientId) : undefined;
  if (!clientId) throw new Refusal('Please select a Customer for the ticket.');
  // A client the agent may not see reads as missing, as on GET [INFER].
  if (!client || !deps.visible(clientId)) throw new Refusal(`Customer ${clientId} does not exist.`);
  if (user && Number(user.client_id) !== clientId) throw new Refusal(`User ${user.id} does not belong to ${String(client.name)}.`);
  if (site && Number(site.client_id) !== clientId) throw new Refusal(`Site ${site.id} does not belong to ${String(client.name)}.`);
  const type = TICKET_TYPES.find((t) => t.id === (b.ints.tickettype_id || DEFAULT_TICKET_TYPE_ID));
  if (!type) throw new Refusal(`Ticket Type ${b.ints.tickettype_id} does not exist.`);
  const status = TICKET_STATUSES.find((s) => s.id === (b.ints.status_id || 1));
  if (!status) throw new Refusal(`Status ${b.ints.status_id} does not exist.`);
  const priority = PRIORITIES.find((p) => p.id === (b.ints.priority_id || type.default_priority));
  if (!priority) throw new Refusal(`Priority ${b.ints.priority_id} does not exist.`);
  const agent = b.ints.agent_id ? AGENTS.find((a) => a.id === b.ints.agent_id) : undefined;
  if (b.ints.agent_id && !agent) throw new Refusal(`Agent ${b.ints.agent_id} does not exist.`);
  // The team goes by name (spec `Faults.team`); `team_id` (HaloAPI's template) is tolerated.
  const teamName = b.texts.team?.trim();
  const team = teamName
    ? TEAM_RECORDS.find((t) => t.name.toLowerCase() === teamName.toLowerCase() && !t.inactive)
    : b.ints.team_id
      ? TEAM_RECORDS.find((t) => t.id === b.ints.team_id && !t.inactive)
      : undefined;
  if ((teamName || b.ints.team_id) && !team) throw new Refusal(`Team ${teamName ? `'${teamName}'` : b.ints.team_id} does not exist.`);
  for (const id of b.assets) {
    const asset = store.assets.get(id);
    if (!asset) throw new Refusal(`Asset ${id} does not exist.`);
    if (Number(asset.client_id) !== clientId) throw new Refusal(`Asset ${id} does not belong to ${String(client.name)}.`);
  }
  const mainSite = store.sites.get(Number(client.main_site_id)) ?? store.sites.children(clientId)[0];
  const opened = b.dateoccurred ?? now;
  return {
    dateoccurred: haloDateTime(opened),
    summary,
    details: b.texts.details ?? '',
    status_id: status.id,
    tickettype_id: type.id,
    // The SLA as the generated data has it: managed clients' own, else the type's, else standard.
    sla_id: Number(client.toplevel_id) === 1 ? 1 : (type.default_sla ?? 2),
    priority_id: priority.id,
    client_id: clientId,
    // No site: the user's, else the client's main site [INFER].
    site_id: site?.id ?? Number(user?.site_id ?? mainSite?.id ?? 0),
    user_id: user?.id ?? 0,
    team: team?.name ?? agent?.team ?? type.default_team,
    agent_id: agent?.id ?? 0,
    category_1: b.texts.category_1 ?? '',
    category_2: b.texts.category_2 ?? '',
    category_3: b.texts.category_3 ?? '',
    category_4: b.texts.category_4 ?? '',
    respondbydate: haloDateTime(opened + 2 * 3_600_000),
    fixbydate: haloDateTime(opened + priority.fixHours * 3_600_000),
    dateassigned: agent ? haloDateTime(opened) : EMPTY_DATE,
    hasbeenclosed: status.closed,
    dateclosed: status.closed ? haloDateTime(opened) : EMPTY_DATE,
    enduserstatus: status.closed ? 2 : 1,
    reportedby: String(user?.emailaddress ?? ''),
    source: 0,
    _assets: [...new Set(b.assets)].sort((x, y) => x - y),
  };
}

/** The POST answer's just-set date-times as seen on a real create response: `Z` and seven fraction digits. */
function postDates(wire: Record<string, unknown>): Record<string, unknown> {
  const out = { ...wire };
  for (const key of ['dateoccurred', 'lastactiondate', 'last_update']) {
    const v = out[key];
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/.test(v)) {
      const [base, frac = ''] = v.split('.');
      out[key] = `${base}.${frac.padEnd(7, '0')}Z`;
    }
  }
  return out;
}

export function createTickets(req: EmuRequest, ctx: EmuContext, deps: CreateDeps): EmuResponse {
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    return jsonResponse(400, { '': ["Unexpected character encountered while parsing value. Path '', line 1, position 1."] });
  }
  if (!Array.isArray(body)) {
    return jsonResponse(400, {
      '': [
        'Cannot deserialize the current JSON object (e.g. {"name":"value"}) into type \'System.Collections.Generic.List`1[Faults]\' because the type requires a JSON array (e.g. [1,2,3]) to deserialize correctly. Path \'\'.',
      ],
    });
  }
  if (!body.length) return text400('No tickets were supplied.');
  let records: Record<string, unknown>[];
  try {
    const bound = body.map((item, index) => bind(item, index));
    if (bound.some((b) => (b.ints.id ?? 0) > 0)) return text400('The emulator only creates tickets: leave out id (or send 0).');
    records = bound.map((b) => resolve(b, deps, ctx.now.getTime()));
  } catch (error) {
    if (error instanceof BindError) return jsonResponse(400, error.errors);
    if (error instanceof Refusal) return text400(error.message);
    throw error;
  }
  const created: HaloRecord[] = records.map((record) => deps.mutator.add('ticket', record));
  const wire = created.map((row) => postDates(deps.serializer.toWire('ticket', row, { full: true, params: new Map(), baseUrl: ctx.baseUrl })));
  return jsonResponse(200, wire.length === 1 ? wire[0] : wire);
}

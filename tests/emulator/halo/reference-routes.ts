import type { Router } from '../framework/router.ts';
import type { EmuResponse } from '../framework/types.ts';
import { jsonResponse } from '../framework/types.ts';
import { bool, int } from './list.ts';
import {
  AGENTS,
  ASSET_STATUSES,
  LOOKUP_TYPES,
  policyGuid,
  PRIORITIES,
  PRIORITY_COLOURS,
  SLAS,
  TEAM_RECORDS,
  TICKET_STATUSES,
  TICKET_TYPES,
  TOPLEVELS,
} from './lookups.ts';

/**
 * Reference data the agent app and Sidecar's ticket form read (docs/psa/halo.md#form-lists):
 * agents, ticket types, statuses, teams, priorities (bare arrays, as HaloAPI and n8n read them),
 * top levels and lookups, and "who am I".
 */
export function addReferenceRoutes<C extends { params: Map<string, string> }>(
  router: Router<C>,
  haloError: (status: number, message: string) => EmuResponse,
): void {
  const agentRow = (a: (typeof AGENTS)[number]) => ({
    id: a.id,
    name: a.name,
    email: a.email,
    initials: a.initials,
    team: a.team,
    isdisabled: false,
    isapiagent: a.id === 1,
    use: 'agent',
  });
  router.add('GET', '/Agent', () => jsonResponse(200, AGENTS.map(agentRow)));
  router.add('GET', '/Agent/me', () => jsonResponse(200, agentRow(AGENTS[0] as (typeof AGENTS)[number])));
  router.add('GET', '/Agent/:id', (_req, params) => {
    const a = AGENTS.find((x) => x.id === Number(params.id));
    return a ? jsonResponse(200, agentRow(a)) : haloError(404, `Agent ${params.id} not found.`);
  });
  router.add('GET', '/TicketType', () =>
    jsonResponse(
      200,
      TICKET_TYPES.map((t) => ({
        id: t.id,
        name: t.name,
        use: 'tickettype',
        visible: true,
        agentscanselect: true,
        enduserscanselect: t.area === 1,
        default_priority: t.default_priority,
        default_team: t.default_team,
        default_sla: t.default_sla ?? 0,
      })),
    ),
  );
  router.add('GET', '/Status', () =>
    jsonResponse(
      200,
      TICKET_STATUSES.map((s, i) => ({ id: s.id, name: s.name, shortname: s.name.slice(0, 4), type: s.closed ? 2 : 1, colour: s.colour, sequence: i + 1 })),
    ),
  );
  // Teams (spec `SectionDetail`): enabled ones unless includedisabled=true [INFER default].
  router.add('GET', '/Team', (_req, _params, ctx) =>
    jsonResponse(
      200,
      TEAM_RECORDS.filter((t) => !t.inactive || bool(ctx.params, 'includedisabled')).map((t, i) => ({ ...t, sequence: i + 1, ticket_count: 0 })),
    ),
  );
  // Priorities (spec `Policy`) are per SLA: one row per SLA and priority; `slaid=` narrows to one SLA,
  // `includedistinct=true` keeps one row per priority [INFER].
  router.add('GET', '/Priority', (_req, _params, ctx) => {
    const slaId = int(ctx.params, 'slaid');
    const rows = SLAS.filter((s) => slaId === undefined || s.id === slaId).flatMap((sla) =>
      PRIORITIES.map((p) => ({
        id: policyGuid(sla.id, p.id),
        slaid: sla.id,
        priorityid: p.id,
        name: p.name,
        fixtime: p.fixHours,
        fixunits: 'H',
        responsetime: Math.max(1, p.fixHours / 4),
        responseunits: 'H',
        ishidden: false,
        colour: PRIORITY_COLOURS[p.id] ?? '',
      })),
    );
    const distinct = bool(ctx.params, 'includedistinct') ? rows.filter((r, i) => rows.findIndex((x) => x.priorityid === r.priorityid) === i) : rows;
    return jsonResponse(200, distinct);
  });
  router.add('GET', '/TopLevel', () => jsonResponse(200, { record_count: TOPLEVELS.length, tree: TOPLEVELS.map((t) => ({ id: t.id, name: t.name })) }));
  router.add('GET', '/Lookup', (_req, _params, ctx) => {
    const id = int(ctx.params, 'lookupid') ?? 11;
    if (id === 38)
      return jsonResponse(
        200,
        ASSET_STATUSES.map((s) => ({ id: s.id, name: s.name, lookupid: 38 })),
      );
    return jsonResponse(
      200,
      LOOKUP_TYPES.map((l) => ({ id: l.id, name: l.name, lookupid: id })),
    );
  });
}

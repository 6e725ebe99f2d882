import { parseHaloDate, parseQueryDate } from './dates.ts';
import { ASSET_TYPES, TICKET_STATUSES, TICKET_TYPES } from './lookups.ts';
import type { WireKind } from './serialize.ts';
import type { HaloRecord, HaloStore, HaloTable } from './store.ts';

/**
 * List filters, ordering and paging (docs/psa/halo.md#paging, #filters-and-change-tracking). Query parameter names are matched
 * case-insensitively (ASP.NET model binding); unknown parameters are ignored (docs/psa/halo.md#request-conventions).
 */

export const DEFAULT_PAGE_SIZE = 50; // [INFER] clients always send page_size
export const TICKETS_MAX_PAGE_SIZE = 100; // spec: "Maximum size: 100" (larger values are capped [INFER])

export function ciParams(url: URL): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of url.searchParams) m.set(k.toLowerCase(), v);
  return m;
}

export function bool(p: Map<string, string>, name: string): boolean | undefined {
  const v = p.get(name)?.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

export function int(p: Map<string, string>, name: string): number | undefined {
  const raw = p.get(name)?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

function ints(p: Map<string, string>, name: string): number[] | undefined {
  const raw = p.get(name)?.trim();
  if (!raw) return undefined;
  const out = raw
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isFinite(n));
  return out.length ? out : undefined;
}

/** includeactive / includeinactive / activeinactive ("true,false"); default: active only [UNVERIFIED]. */
export function activeFlags(p: Map<string, string>): { active: boolean; inactive: boolean } {
  let active = bool(p, 'includeactive');
  let inactive = bool(p, 'includeinactive');
  const both = p.get('activeinactive');
  if (both) {
    const [a, i] = both.split(',').map((s) => s.trim().toLowerCase());
    if (a === 'true' || a === 'false') active = a === 'true';
    if (i === 'true' || i === 'false') inactive = i === 'true';
  }
  return { active: active ?? true, inactive: inactive ?? false };
}

const like = (hay: unknown, needle: string) => typeof hay === 'string' && hay.toLowerCase().includes(needle);

export interface ListContext {
  store: HaloStore;
  /** Client visibility of the calling agent. */
  visible(clientId: number): boolean;
  /** Wire value of a derived field (client_name, …) for ordering. */
  derived(kind: WireKind, row: HaloRecord, field: string): unknown;
}

type Pred = (r: HaloRecord) => boolean;

/** Candidate rows (narrowed by client_id when given) and the predicate for a list request. */
export function selection(kind: WireKind, table: HaloTable, p: Map<string, string>, lc: ListContext): { rows: readonly HaloRecord[]; preds: Pred[] } {
  const s = lc.store;
  const preds: Pred[] = [];
  const clientId = kind === 'client' ? undefined : int(p, 'client_id');
  const rows = clientId !== undefined ? table.children(clientId) : table.rows;
  const clientOf = kind === 'client' ? (r: HaloRecord) => r.id : (r: HaloRecord) => Number(r.client_id);
  preds.push((r) => lc.visible(clientOf(r)));
  const search = p.get('search')?.trim().toLowerCase();
  const toplevel = int(p, 'toplevel_id');
  if (toplevel !== undefined) preds.push((r) => s.clients.get(clientOf(r))?.toplevel_id === toplevel);
  const eq = (param: string, field: string) => {
    const v = int(p, param);
    if (v !== undefined) preds.push((r) => Number(r[field]) === v);
  };
  const activeInactive = () => {
    const f = activeFlags(p);
    if (!(f.active && f.inactive)) preds.push((r) => (r.inactive ? f.inactive : f.active));
  };

  switch (kind) {
    case 'client': {
      activeInactive();
      if (search) {
        const nameOnly = bool(p, 'search_name_only') === true;
        preds.push((r) => like(r.name, search) || (!nameOnly && like(r.ref, search)));
      }
      break;
    }
    case 'site':
      activeInactive();
      eq('site_id', 'id');
      if (search) preds.push((r) => like(r.name, search) || like(s.clients.get(Number(r.client_id))?.name, search));
      break;
    case 'user': {
      activeInactive();
      eq('site_id', 'site_id');
      const assetId = int(p, 'asset_id');
      if (assetId !== undefined) preds.push((r) => s.assets.get(assetId)?.first_user_id === r.id);
      if (search) {
        const phones = bool(p, 'search_phonenumbers') === true;
        const digits = search.replace(/\D/g, '');
        preds.push(
          (r) =>
            like(r.name, search) ||
            like(r.emailaddress, search) ||
            (phones &&
              !!digits &&
              [r.phonenumber, r.mobilenumber].some((n) =>
                String(n ?? '')
                  .replace(/\D/g, '')
                  .includes(digits),
              )),
        );
      }
      break;
    }
    case 'asset': {
      activeInactive();
      eq('site_id', 'site_id');
      eq('user_id', 'first_user_id');
      eq('contract_id', 'contract_id');
      const types = ints(p, 'assettypes') ?? (int(p, 'assettype_id') !== undefined ? [int(p, 'assettype_id') as number] : undefined);
      if (types) preds.push((r) => types.includes(Number(r.assettype_id)));
      const group = int(p, 'assetgroup_id');
      if (group !== undefined)
        preds.push(
          (r) => ASSET_TYPES.find((t) => t.id === r.assettype_id)?.assetgroup_id === group || s.assetType(Number(r.assettype_id))?.assetgroup_id === group,
        );
      const statuses = ints(p, 'assetstatuses');
      if (statuses) preds.push((r) => statuses.includes(Number(r.status_id)));
      const username = p.get('username')?.trim().toLowerCase();
      if (username) preds.push((r) => (s.users.get(Number(r.first_user_id))?.name as string | undefined)?.toLowerCase() === username);
      const inv = p.get('inventory_number')?.trim().toLowerCase();
      if (inv) preds.push((r) => String(r.inventory_number).toLowerCase() === inv);
      const ticketId = int(p, 'ticket_id');
      if (ticketId !== undefined) {
        const linked = (s.tickets.get(ticketId)?._assets as number[] | undefined) ?? [];
        preds.push((r) => linked.includes(r.id));
      }
      if (search) {
        const invOnly = bool(p, 'search_inventory_number_only') === true;
        preds.push(
          (r) => like(r.inventory_number, search) || (!invOnly && (like(r.key_field, search) || like(r.key_field2, search) || like(r.key_field3, search))),
        );
      }
      break;
    }
    case 'contract': {
      // [INFER] default: current contracts only; includeinactive adds inactive ones and the
      // unspecified `includeexpired` (seen live, docs/psa/halo.md#contracts) adds expired ones.
      const inactive = bool(p, 'includeinactive') === true;
      const expired = bool(p, 'includeexpired') === true;
      preds.push((r) => (r.active || inactive) && (!r.expired || expired));
      eq('site_id', 'site_id');
      if (search) preds.push((r) => like(r.ref, search) || like(s.clients.get(Number(r.client_id))?.name, search));
      break;
    }
    case 'ticket': {
      eq('site_id', 'site_id');
      eq('user_id', 'user_id');
      eq('agent_id', 'agent_id');
      eq('status_id', 'status_id');
      eq('sla', 'sla_id');
      const type = int(p, 'tickettype_id') ?? int(p, 'requesttype_id') ?? int(p, 'requesttype');
      if (type !== undefined) preds.push((r) => r.tickettype_id === type);
      const area = int(p, 'ticketarea_id');
      if (area !== undefined) preds.push((r) => TICKET_TYPES.find((t) => t.id === r.tickettype_id)?.area === area);
      const statuses = ints(p, 'status');
      if (statuses) preds.push((r) => statuses.includes(Number(r.status_id)));
      const priorities = ints(p, 'priority');
      if (priorities) preds.push((r) => priorities.includes(Number(r.priority_id)));
      const agents = ints(p, 'agent');
      if (agents) preds.push((r) => agents.includes(Number(r.agent_id)));
      const team = p.get('team')?.trim().toLowerCase() ?? p.get('team_name')?.trim().toLowerCase();
      if (team)
        preds.push((r) =>
          team
            .split(',')
            .map((x) => x.trim())
            .includes(String(r.team).toLowerCase()),
        );
      const ids = ints(p, 'ticketids');
      if (ids) preds.push((r) => ids.includes(r.id));
      const assetId = int(p, 'asset_id');
      if (assetId !== undefined) preds.push((r) => ((r._assets as number[] | undefined) ?? []).includes(assetId));
      const closed = (r: HaloRecord) => TICKET_STATUSES.find((st) => st.id === r.status_id)?.closed === true;
      if (bool(p, 'open_only')) preds.push((r) => !closed(r));
      if (bool(p, 'closed_only')) preds.push(closed);
      const includeClosed = ints(p, 'includeclosed');
      if (includeClosed) preds.push((r) => includeClosed.includes(closed(r) ? 1 : 0));
      // lastupdatefromdate/-todate: used as "updated since/before" by real clients (docs/psa/halo.md#filters-and-change-tracking).
      const from = parseQueryDate(p.get('lastupdatefromdate'));
      if (!Number.isNaN(from)) preds.push((r) => parseHaloDate(r.last_update) >= from);
      const to = parseQueryDate(p.get('lastupdatetodate'));
      if (!Number.isNaN(to)) preds.push((r) => parseHaloDate(r.last_update) <= to);
      const ds = p.get('datesearch')?.trim().toLowerCase();
      if (ds) {
        const field =
          ds === 'datecleared' || ds === 'dateclosed'
            ? 'dateclosed'
            : ds === 'dateoccured' || ds === 'dateoccurred'
              ? 'dateoccurred'
              : ds === 'lastupdate'
                ? 'last_update'
                : undefined;
        const start = parseQueryDate(p.get('startdate'));
        const end = parseQueryDate(p.get('enddate'));
        if (field) {
          if (!Number.isNaN(start)) preds.push((r) => parseHaloDate(r[field]) >= start);
          if (!Number.isNaN(end)) preds.push((r) => parseHaloDate(r[field]) <= end);
        }
      }
      if (search) {
        const name = (id: unknown) => s.users.get(Number(id))?.name;
        preds.push((r) => like(r.summary, search) || String(r.id) === search || like(name(r.user_id), search));
      }
      // The spec's field searches ("details matching the search"): a "like" match [INFER].
      for (const [param, field] of [
        ['search_details', 'details'],
        ['search_summary', 'summary'],
      ] as const) {
        const needle = p.get(param)?.trim().toLowerCase();
        if (needle) preds.push((r) => like(r[field], needle));
      }
      break;
    }
  }
  return { rows, preds };
}

const COLLATOR = new Intl.Collator('en', { sensitivity: 'accent', numeric: true });

/** order…order5 / orderdesc…orderdesc5. Stable tiebreak on id. null when no order given. */
export function comparatorOf(kind: WireKind, p: Map<string, string>, lc: ListContext): ((a: HaloRecord, b: HaloRecord) => number) | null {
  const keys: { field: string; desc: boolean }[] = [];
  for (const suffix of ['', '2', '3', '4', '5']) {
    const f = p.get(`order${suffix}`)?.trim();
    if (f) keys.push({ field: f.toLowerCase(), desc: bool(p, `orderdesc${suffix}`) === true });
  }
  if (!keys.length) return null;
  // Derived values (client_name, …) cost a serialisation: compute each row's keys once.
  const memo = new Map<HaloRecord, unknown[]>();
  const values = (r: HaloRecord) => {
    let v = memo.get(r);
    if (!v) memo.set(r, (v = keys.map((k) => (k.field in r ? r[k.field] : lc.derived(kind, r, k.field)))));
    return v;
  };
  return (a, b) => {
    const xa = values(a);
    const xb = values(b);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as (typeof keys)[number];
      const va = xa[i];
      const vb = xb[i];
      let c: number;
      if (va === vb) c = 0;
      else if (va === undefined || va === null) c = -1;
      else if (vb === undefined || vb === null) c = 1;
      else if (typeof va === 'number' || typeof va === 'boolean') c = Number(va) - Number(vb);
      else c = COLLATOR.compare(String(va), String(vb));
      if (c !== 0) return k.desc ? -c : c;
    }
    return a.id - b.id;
  };
}

/** Small cache of filtered+sorted row sets so paging a large table costs one pass. */
export class ResultCache {
  private entries = new Map<string, readonly HaloRecord[]>();

  get(key: string, build: () => readonly HaloRecord[]): readonly HaloRecord[] {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const value = build();
    this.entries.set(key, value);
    if (this.entries.size > 24) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  invalidate(): void {
    this.entries.clear();
  }
}

/** Cache key: every parameter except the paging ones, sorted. */
export function cacheKey(kind: WireKind, who: string, p: Map<string, string>): string {
  const skip = new Set(['page_no', 'page_size', 'pageinate', 'count', 'includeassetfields', 'includeaddress', 'includenotes']);
  const parts = [...p.entries()].filter(([k]) => !skip.has(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${kind}|${who}|${JSON.stringify(parts)}`;
}

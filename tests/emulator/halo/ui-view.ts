// Over 300 lines on purpose: the HTML of every emulated Halo screen the detectors and overlay tests visit, one small function each.
import { parseHaloDate } from './dates.ts';
import { AGENTS, ASSET_STATUSES, CONTRACT_TYPES, PRIORITIES, TICKET_STATUSES, TICKET_TYPES, TOPLEVELS } from './lookups.ts';
import type { Serializer } from './serialize.ts';
import type { HaloRecord, HaloStore } from './store.ts';

/**
 * Views of the Halo agent app and portal as a tiny virtual DOM: the server renders it to escaped
 * HTML for full page loads, the client script builds DOM nodes from the same JSON for in-app
 * navigation (no HTML strings). Real Halo is a React app without documented hooks (see
 * docs/psa/halo.md#ticket-page); the `data-testid` / `data-*-id` attributes here are the emulator's own stable hooks,
 * and the new-ticket form uses Halo's `input-field-for-<field>` ids.
 */

export type VNode = string | { tag: string; attrs?: Record<string, string>; children?: VNode[] };

export type UiTarget =
  | { type: 'ticket' | 'client' | 'site' | 'user' | 'asset' | 'portal-ticket'; id: number }
  | { type: 'new-ticket' }
  | { type: 'ticket-list'; area?: number; viewid?: number; list: string }
  | { type: 'client-list' | 'site-list' | 'user-list' | 'asset-list' | 'portal-home' | 'portal-tickets' }
  | { type: 'portal-404'; path: string };

export interface UiView {
  title: string;
  view: VNode;
  /** 'agent' or 'portal' shell. */
  shell: 'agent' | 'portal';
}

const LIST_LIMIT = 100; // keeps `large` pages small

export function ticketUrl(id: number, list = ''): string {
  return list ? `/tickets?${list}&id=${id}` : `/tickets?id=${id}`;
}
export const clientUrl = (id: number) => `/customers?mainview=client&clientid=${id}`;
export const siteUrl = (id: number) => `/customers?mainview=site&siteid=${id}`;
export const userUrl = (id: number) => `/customers?mainview=user&userid=${id}`;
export const assetUrl = (id: number) => `/assets?id=${id}`;
export const portalTicketUrl = (id: number) => `/portal/ticket?id=${id}`;
export const DEFAULT_LIST = 'area=1&mainview=myviews&viewid=1&selid=1&sellevel=1';

function h(tag: string, attrs: Record<string, string | undefined> | null, ...children: (VNode | null | undefined | false)[]): VNode {
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined) a[k] = v;
  return { tag, attrs: a, children: children.filter((c): c is VNode => c !== null && c !== undefined && c !== false) };
}

function nav(href: string, text: string, testid?: string, extra: Record<string, string> = {}): VNode {
  return h('a', { href, 'data-halo-nav': '', 'data-testid': testid, ...extra }, text);
}

function field(label: string, value: VNode | string | undefined, testid?: string): VNode {
  return h(
    'div',
    { class: 'halo-field', 'data-testid': testid },
    h('label', { class: 'halo-field-label' }, label),
    h('div', { class: 'halo-field-value' }, value ?? ''),
  );
}

function section(title: string, testid: string, items: VNode[]): VNode {
  return h(
    'section',
    { class: 'halo-tab-section', 'data-testid': testid },
    h('h3', null, `${title} (${items.length})`),
    h('ul', null, ...items.slice(0, LIST_LIMIT).map((i) => h('li', null, i))),
    items.length > LIST_LIMIT ? h('div', { class: 'halo-more' }, `and ${items.length - LIST_LIMIT} more`) : null,
  );
}

function record(type: string, id: number | undefined, ...children: VNode[]): VNode {
  return h(
    'div',
    {
      class: `halo-record halo-record-${type}`,
      'data-testid': `view-${type}`,
      'data-record-type': type,
      'data-record-id': id === undefined ? undefined : String(id),
    },
    ...children,
  );
}

function header(kicker: string, title: string): VNode {
  return h(
    'div',
    { class: 'halo-record-header', 'data-testid': 'record-header' },
    h('div', { class: 'halo-kicker' }, kicker),
    h('h1', { class: 'halo-record-title', 'data-testid': 'record-title' }, title),
  );
}

const suffix = (s: string) => `${s} - HaloPSA`;
const agentName = (id: unknown) => AGENTS.find((a) => a.id === id)?.name ?? 'Unassigned';
const date = (v: unknown) => (Number.isNaN(parseHaloDate(v)) ? '' : String(v).slice(0, 16).replace('T', ' '));

function notFound(what: string, id: number, shell: 'agent' | 'portal' = 'agent'): UiView {
  return {
    title: suffix('Not found'),
    shell,
    view: record(
      'not-found',
      id,
      h('div', { class: 'halo-alert', 'data-testid': 'not-found' }, `The ${what} with ID ${id} does not exist or you do not have access to it.`),
    ),
  };
}

export function buildView(store: HaloStore, ser: Serializer, target: UiTarget): UiView {
  switch (target.type) {
    case 'ticket': {
      const t = store.tickets.get(target.id);
      return t ? ticketView(store, ser, t) : notFound('Ticket', target.id);
    }
    case 'new-ticket':
      return newTicketView(store);
    case 'ticket-list':
      return ticketList(store, ser, target.list);
    case 'client': {
      const c = store.clients.get(target.id);
      return c ? clientView(store, c) : notFound('Customer', target.id);
    }
    case 'site': {
      const s = store.sites.get(target.id);
      return s ? siteView(store, ser, s) : notFound('Site', target.id);
    }
    case 'user': {
      const u = store.users.get(target.id);
      return u ? userView(store, ser, u) : notFound('User', target.id);
    }
    case 'asset': {
      const a = store.assets.get(target.id);
      return a ? assetView(store, ser, a) : notFound('Asset', target.id);
    }
    case 'client-list':
      return simpleList('Customers', 'client-list', store.clients.rows, (c) =>
        nav(clientUrl(c.id), String(c.name), 'client-list-link', { 'data-client-id': String(c.id) }),
      );
    case 'site-list':
      return simpleList('Sites', 'site-list', store.sites.rows, (s) =>
        nav(siteUrl(s.id), `${ser.clientName(s.client_id)} - ${String(s.name)}`, 'site-list-link'),
      );
    case 'user-list':
      return simpleList('Users', 'user-list', store.users.rows, (u) =>
        nav(userUrl(u.id), `${String(u.name)} (${ser.clientName(u.client_id)})`, 'user-list-link'),
      );
    case 'asset-list':
      return simpleList('Assets', 'asset-list', store.assets.rows, (a) =>
        nav(assetUrl(a.id), `${String(a.key_field || a.inventory_number)} (${ser.clientName(a.client_id)})`, 'asset-list-link'),
      );
    case 'portal-ticket': {
      const t = store.tickets.get(target.id);
      return t ? portalTicket(store, ser, t) : notFound('Ticket', target.id, 'portal');
    }
    case 'portal-home':
      return {
        title: suffix('Home'),
        shell: 'portal',
        view: record(
          'portal-home',
          undefined,
          h('h1', null, 'How can we help?'),
          h('a', { href: '/portal/tickets?viewid=1', 'data-halo-nav': '' }, 'View my tickets'),
          h('a', { href: '/portal/newticket' }, 'Log a new ticket'),
        ),
      };
    case 'portal-tickets': {
      const rows = store.tickets.rows.slice(-LIST_LIMIT);
      return {
        title: suffix('My Tickets'),
        shell: 'portal',
        view: record(
          'portal-tickets',
          undefined,
          h('h1', null, 'My Tickets'),
          h(
            'ul',
            { 'data-testid': 'portal-ticket-list' },
            ...rows.map((t) => h('li', null, nav(portalTicketUrl(t.id), `${t.id} - ${String(t.summary)}`, 'portal-ticket-link'))),
          ),
        ),
      };
    }
    case 'portal-404':
      return {
        title: suffix('Error'),
        shell: 'portal',
        view: record(
          'portal-404',
          undefined,
          h('h1', { 'data-testid': 'portal-error' }, 'ERROR 404'),
          h('p', null, `The page ${target.path} could not be found.`),
        ),
      };
  }
}

function simpleList(title: string, type: string, rows: readonly HaloRecord[], link: (r: HaloRecord) => VNode): UiView {
  const shown = rows.slice(0, LIST_LIMIT);
  return {
    title: suffix(title),
    shell: 'agent',
    view: record(
      type,
      undefined,
      header(title, `${title} (${rows.length})`),
      h('ul', { class: 'halo-list', 'data-testid': type }, ...shown.map((r) => h('li', { 'data-id': String(r.id) }, link(r)))),
    ),
  };
}

function ticketView(store: HaloStore, ser: Serializer, t: HaloRecord): UiView {
  const client = store.clients.get(Number(t.client_id));
  const site = store.sites.get(Number(t.site_id));
  const user = store.users.get(Number(t.user_id));
  const status = TICKET_STATUSES.find((s) => s.id === t.status_id);
  const type = TICKET_TYPES.find((s) => s.id === t.tickettype_id);
  const prio = PRIORITIES.find((p) => p.id === t.priority_id);
  const assets = ((t._assets as number[] | undefined) ?? []).map((id) => store.assets.get(id)).filter((a): a is HaloRecord => !!a);
  const title = `${t.id} - ${String(t.summary)}`;
  return {
    title: suffix(`#${title}`),
    shell: 'agent',
    view: record(
      'ticket',
      t.id,
      header(type?.name ?? 'Ticket', title),
      h(
        'div',
        { class: 'halo-ticket-layout' },
        h(
          'div',
          { class: 'halo-ticket-main', 'data-testid': 'ticket-main' },
          field('Summary', String(t.summary), 'ticket-summary'),
          h('div', { class: 'halo-ticket-details', 'data-testid': 'ticket-details-text' }, String(t.details ?? '').replace(/<br\s*\/?>/gi, '\n')),
          section(
            'Assets',
            'ticket-assets',
            assets.map((a) => nav(assetUrl(a.id), String(a.key_field || a.inventory_number), 'ticket-asset-link', { 'data-asset-id': String(a.id) })),
          ),
        ),
        // The detail side panel: where Halo shows the ticket's client, site and user (docs/psa/halo.md#ticket-page).
        h(
          'aside',
          { class: 'halo-ticket-sidepanel', 'data-testid': 'ticket-details', 'data-client-id': client ? String(client.id) : undefined },
          field(
            'Customer',
            client ? nav(clientUrl(client.id), String(client.name), 'ticket-client-link', { 'data-client-id': String(client.id) }) : '',
            'ticket-client',
          ),
          field('Site', site ? nav(siteUrl(site.id), String(site.name), 'ticket-site-link', { 'data-site-id': String(site.id) }) : '', 'ticket-site'),
          field('User', user ? nav(userUrl(user.id), String(user.name), 'ticket-user-link', { 'data-user-id': String(user.id) }) : '', 'ticket-user'),
          field('Email', String(user?.emailaddress ?? '')),
          field('Status', status?.name ?? '', 'ticket-status'),
          field('Priority', prio?.name ?? ''),
          field('Agent', agentName(t.agent_id)),
          field('Team', String(t.team ?? '')),
          field('Logged', date(t.dateoccurred)),
          field('Category', String(t.category_2 ?? '')),
        ),
      ),
    ),
  };
}

function newTicketView(store: HaloStore): UiView {
  const input = (name: string, label: string, value = '') =>
    h(
      'div',
      { class: 'halo-field' },
      h('label', { for: `input-field-for-${name}` }, label),
      h('input', { id: `input-field-for-${name}`, name, type: 'text', value }),
    );
  return {
    title: suffix('New Ticket'),
    shell: 'agent',
    view: record(
      'new-ticket',
      -1,
      header('Ticket', 'New Ticket'),
      h(
        'form',
        { class: 'halo-new-ticket', 'data-testid': 'new-ticket-form' },
        h(
          'div',
          { class: 'halo-field' },
          h('label', { for: 'input-field-for-client_id' }, 'Customer'),
          h(
            'select',
            { id: 'input-field-for-client_id', name: 'client_id' },
            h('option', { value: '' }, '-- Select --'),
            ...store.clients.rows.slice(0, LIST_LIMIT).map((c) => h('option', { value: String(c.id) }, String(c.name))),
          ),
        ),
        input('user_name', 'User'),
        input('summary', 'Summary'),
        h('textarea', { id: 'input-field-for-details', name: 'details' }),
        h('button', { type: 'button', disabled: '' }, 'Save'),
      ),
    ),
  };
}

function ticketList(store: HaloStore, ser: Serializer, list: string): UiView {
  const params = new URLSearchParams(list);
  const area = Number(params.get('area'));
  const rows = store.tickets.rows.filter((t) => !area || TICKET_TYPES.find((x) => x.id === t.tickettype_id)?.area === area);
  const shown = rows.slice(-LIST_LIMIT).reverse();
  const linkList = list || DEFAULT_LIST;
  return {
    title: suffix('Tickets'),
    shell: 'agent',
    view: record(
      'ticket-list',
      undefined,
      header('Tickets', `My Views (${rows.length})`),
      h(
        'div',
        { class: 'halo-toolbar' },
        h('button', { type: 'button', 'data-id': 'exporttocsv' }, 'Export'),
        h('button', { type: 'button', 'data-id': 'switchlistviewKanban' }, 'Kanban'),
        nav('/tickets?id=-1', 'New Ticket', 'new-ticket-link'),
      ),
      h(
        'table',
        { class: 'halo-ticket-table', 'data-testid': 'ticket-list', role: 'grid' },
        h(
          'thead',
          null,
          h('tr', null, h('th', null, 'ID'), h('th', null, 'Summary'), h('th', null, 'Customer'), h('th', null, 'Status'), h('th', null, 'Agent')),
        ),
        h(
          'tbody',
          null,
          ...shown.map((t) =>
            h(
              'tr',
              { 'data-ticket-id': String(t.id), class: 'rt-tr' },
              h('td', null, nav(ticketUrl(t.id, linkList), String(t.id), 'ticket-list-link')),
              h('td', null, String(t.summary)),
              h('td', null, ser.clientName(t.client_id)),
              h('td', null, TICKET_STATUSES.find((s) => s.id === t.status_id)?.name ?? ''),
              h('td', null, agentName(t.agent_id)),
            ),
          ),
        ),
      ),
    ),
  };
}

function clientView(store: HaloStore, c: HaloRecord): UiView {
  const link = (href: string, text: string, testid: string) => nav(href, text, testid);
  return {
    title: suffix(String(c.name)),
    shell: 'agent',
    view: record(
      'client',
      c.id,
      header('Customer', String(c.name)),
      h(
        'div',
        { class: 'halo-client-details', 'data-testid': 'client-details', 'data-client-id': String(c.id) },
        field('Name', String(c.name), 'client-name'),
        field('Top Level', TOPLEVELS.find((t) => t.id === c.toplevel_id)?.name ?? ''),
        field('Reference', String(c.ref ?? '')),
        field('Website', String(c.website ?? '')),
        field('Phone', String(c.main_phonenumber ?? '')),
        c.inactive ? h('div', { class: 'halo-badge', 'data-testid': 'client-inactive' }, 'Inactive') : null,
      ),
      section(
        'Sites',
        'client-sites',
        store.sites.children(c.id).map((s) => link(siteUrl(s.id), String(s.name), 'client-site-link')),
      ),
      section(
        'Users',
        'client-users',
        store.users.children(c.id).map((u) => link(userUrl(u.id), String(u.name), 'client-user-link')),
      ),
      section(
        'Assets',
        'client-assets',
        store.assets
          .children(c.id)
          .map((a) =>
            link(
              assetUrl(a.id),
              `${String(a.key_field || a.inventory_number)} (${String(store.assetType(Number(a.assettype_id))?.name ?? '')})`,
              'client-asset-link',
            ),
          ),
      ),
      section(
        'Contracts',
        'client-contracts',
        store.contracts
          .children(c.id)
          .map((k) => `${String(k.ref)} - ${CONTRACT_TYPES.find((t) => t.id === k.contracttype)?.name ?? ''} (${String(k.contract_status)})`),
      ),
      section(
        'Recurring Invoices',
        'client-recurring-invoices',
        store.recurringInvoices.children(c.id).map((r) => recurringInvoice(store, r)),
      ),
      section(
        'Tickets',
        'client-tickets',
        store.tickets.children(c.id).map((t) => link(ticketUrl(t.id), `${t.id} - ${String(t.summary)}`, 'client-ticket-link')),
      ),
    ),
  };
}

/** A recurring invoice on its client's page: the contract it bills and each line's item and quantity (docs/psa/halo.md#billing-counts). */
function recurringInvoice(store: HaloStore, r: HaloRecord): VNode {
  const contract = store.contracts.get(Number(r.contract_id));
  const lines = r._lines as HaloRecord[];
  return h(
    'div',
    { class: 'halo-recurring-invoice', 'data-testid': 'recurring-invoice', 'data-invoice-id': String(r.id), 'data-contract-id': String(r.contract_id) },
    h('div', { class: 'halo-recurring-invoice-title' }, `${String(r.reference)} - ${contract ? `Contract ${String(contract.ref)}` : 'No contract'}`),
    r.disabled ? h('span', { class: 'halo-badge', 'data-testid': 'recurring-invoice-disabled' }, 'Disabled') : null,
    h(
      'table',
      { class: 'halo-ticket-table' },
      h('tr', null, h('th', null, 'Item'), h('th', null, 'Quantity'), h('th', null, 'Unit Price')),
      ...lines.map((line) =>
        h(
          'tr',
          { 'data-testid': 'recurring-line', 'data-line-id': String(line.id), 'data-item-id': String(line._itemid) },
          h('td', { 'data-testid': 'recurring-line-item' }, String(line.item_shortdescription)),
          h('td', { 'data-testid': 'recurring-line-qty' }, String(line.qty_order)),
          h('td', null, Number(line.unit_price).toFixed(2)),
        ),
      ),
    ),
  );
}

function siteView(store: HaloStore, ser: Serializer, s: HaloRecord): UiView {
  const a = (s.delivery_address ?? {}) as Record<string, string>;
  return {
    title: suffix(`${ser.clientName(s.client_id)} - ${String(s.name)}`),
    shell: 'agent',
    view: record(
      'site',
      s.id,
      header('Site', String(s.name)),
      h(
        'div',
        { class: 'halo-site-details', 'data-testid': 'site-details', 'data-client-id': String(s.client_id) },
        field('Customer', nav(clientUrl(Number(s.client_id)), ser.clientName(s.client_id), 'site-client-link'), 'site-client'),
        field('Address', [a.line1, a.line2, a.line3, a.line4].filter(Boolean).join(', ')),
        field('Phone', String(s.phonenumber ?? '')),
        field('Timezone', String(s.timezone ?? '')),
        s.inactive ? h('div', { class: 'halo-badge' }, 'Inactive') : null,
      ),
      section(
        'Users',
        'site-users',
        store.users
          .children(Number(s.client_id))
          .filter((u) => u.site_id === s.id)
          .map((u) => nav(userUrl(u.id), String(u.name), 'site-user-link')),
      ),
    ),
  };
}

function userView(store: HaloStore, ser: Serializer, u: HaloRecord): UiView {
  const assets = store.assets.children(Number(u.client_id)).filter((a) => a.first_user_id === u.id);
  const tickets = store.tickets.children(Number(u.client_id)).filter((t) => t.user_id === u.id);
  return {
    title: suffix(String(u.name)),
    shell: 'agent',
    view: record(
      'user',
      u.id,
      header('User', String(u.name)),
      h(
        'div',
        { class: 'halo-user-details', 'data-testid': 'user-details', 'data-client-id': String(u.client_id) },
        field('Customer', nav(clientUrl(Number(u.client_id)), ser.clientName(u.client_id), 'user-client-link'), 'user-client'),
        field('Site', nav(siteUrl(Number(u.site_id)), ser.siteName(u.site_id), 'user-site-link'), 'user-site'),
        field('Job Title', String(u.title ?? '')),
        field('Email', String(u.emailaddress ?? ''), 'user-email'),
        field('Phone', String(u.phonenumber ?? '')),
        u.inactive ? h('div', { class: 'halo-badge' }, 'Inactive') : null,
      ),
      section(
        'Assets',
        'user-assets',
        assets.map((a) => nav(assetUrl(a.id), String(a.key_field || a.inventory_number), 'user-asset-link')),
      ),
      section(
        'Tickets',
        'user-tickets',
        tickets.map((t) => nav(ticketUrl(t.id), `${t.id} - ${String(t.summary)}`, 'user-ticket-link')),
      ),
    ),
  };
}

function assetView(store: HaloStore, ser: Serializer, a: HaloRecord): UiView {
  const type = store.assetType(Number(a.assettype_id));
  const user = store.users.get(Number(a.first_user_id));
  const label = String(a.key_field || a.inventory_number);
  return {
    title: suffix(`${String(type?.name ?? 'Asset')} ${label}`),
    shell: 'agent',
    view: record(
      'asset',
      a.id,
      header(String(type?.name ?? 'Asset'), label),
      h(
        'div',
        { class: 'halo-asset-details', 'data-testid': 'asset-details', 'data-client-id': String(a.client_id) },
        field('Asset Tag', String(a.inventory_number), 'asset-tag'),
        field('Asset Type', String(type?.name ?? ''), 'asset-type'),
        field('Status', ASSET_STATUSES.find((s) => s.id === a.status_id)?.name ?? '', 'asset-status'),
        field('Customer', nav(clientUrl(Number(a.client_id)), ser.clientName(a.client_id), 'asset-client-link'), 'asset-client'),
        field('Site', a.site_id ? nav(siteUrl(Number(a.site_id)), ser.siteName(a.site_id), 'asset-site-link') : ''),
        field('User', user ? nav(userUrl(user.id), String(user.name), 'asset-user-link') : ''),
      ),
      h(
        'table',
        { class: 'halo-asset-fields', 'data-testid': 'asset-fields' },
        ...ser.assetFields(a).map((f) => h('tr', null, h('th', null, String(f.name)), h('td', null, String(f.display ?? '')))),
      ),
    ),
  };
}

function portalTicket(store: HaloStore, ser: Serializer, t: HaloRecord): UiView {
  const status = TICKET_STATUSES.find((s) => s.id === t.status_id);
  return {
    title: suffix(`Ticket ${t.id}`),
    shell: 'portal',
    view: record(
      'portal-ticket',
      t.id,
      h('h1', { 'data-testid': 'portal-ticket-title' }, `${t.id} - ${String(t.summary)}`),
      field('Status', status?.closed ? 'Closed' : 'Open', 'portal-ticket-status'),
      field('Organisation', ser.clientName(t.client_id), 'portal-ticket-client'),
      field('Logged by', String(store.users.get(Number(t.user_id))?.name ?? '')),
      field('Logged', date(t.dateoccurred)),
    ),
  };
}

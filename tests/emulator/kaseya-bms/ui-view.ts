// Over 300 lines on purpose: the markup of every emulated screen the detectors and overlay tests visit, one small function each.
import { ACCOUNT_TYPES, EMPLOYEES, ISSUE_TYPES, PRIORITIES, QUEUES, SOURCES, STATUSES, TENANT, TICKET_TYPES } from './lookups.ts';
import { employeeName } from './serialize.ts';
import { contactName } from './store.ts';
import type { BmsAccount, BmsStore, BmsTicket } from './store.ts';

/**
 * BMS pages as a tiny virtual DOM: the server turns it into escaped HTML, the React-UI client
 * script builds DOM nodes from the same JSON (never HTML strings). Class names and ids are the
 * hooks public scripts use (docs/psa/kaseya-bms.md#page-hooks); `data-bms-*` attributes are extra, stable hooks
 * for shapes docs/psa/kaseya-bms.md could not confirm (account pages).
 */

export type VNode = string | { tag: string; attrs?: Record<string, string>; children?: VNode[] };

export type UiTarget =
  | { ui: 'react' | 'legacy'; type: 'ticket'; id: number }
  | { ui: 'react' | 'legacy'; type: 'account'; id: number }
  | { ui: 'react' | 'legacy'; type: 'tickets'; mine: boolean }
  | { ui: 'react'; type: 'accounts' };

export interface UiView {
  title: string;
  view: VNode;
}

/** The signed-in web user of the emulated UI (a regular employee; see ui.ts). */
export const UI_USER = { userId: 51140, fullName: 'Dana Okafor' } as const;

const LIST_LIMIT = 100; // keeps `large` pages small

export const reactTicketUrl = (id: number) => `/react/servicedesk/tickets/${id}`;
export const reactAccountUrl = (id: number) => `/react/crm/accounts/${id}`;
export const legacyTicketUrl = (id: number) => `/MSP/TicketEdit.aspx?ID=${id}`;
/** [G] legacy account page shape (only the `/CRM/` folder is confirmed, docs/psa/kaseya-bms.md#two-uis). */
export const legacyAccountUrl = (id: number) => `/CRM/AccountEdit.aspx?ID=${id}`;

export function h(tag: string, attrs: Record<string, string | undefined> | null, ...children: (VNode | null | undefined | false)[]): VNode {
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined) a[k] = v;
  return { tag, attrs: a, children: children.filter((c): c is VNode => c !== null && c !== undefined && c !== false) };
}

const nav = (href: string, text: string, attrs: Record<string, string | undefined> = {}) => h('a', { href, 'data-bms-nav': '', ...attrs }, text);
const stripTags = (html: string) =>
  html
    .replace(/<\/p>\s*<p>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .trim();
const statusOf = (t: BmsTicket) => STATUSES.find((s) => s.id === t.statusId);
const dateText = (v: string | null) => (v ? v.slice(0, 16).replace('T', ' ') : '');

export function buildView(s: BmsStore, target: UiTarget): UiView {
  if (target.type === 'ticket') {
    const t = s.tickets.get(target.id);
    if (!t) return notFound(target.ui, 'Ticket', target.id);
    return target.ui === 'react' ? reactTicket(s, t) : legacyTicket(s, t);
  }
  if (target.type === 'account') {
    const a = s.accounts.get(target.id);
    if (!a) return notFound(target.ui, 'Account', target.id);
    return target.ui === 'react' ? reactAccount(s, a) : legacyAccount(s, a);
  }
  if (target.type === 'accounts') return reactAccounts(s);
  return target.ui === 'react' ? reactTickets(s, target.mine) : legacyTickets(s, target.mine);
}

function notFound(ui: 'react' | 'legacy', what: string, id: number): UiView {
  const msg = `${what} ${id} does not exist or you do not have permission to view it.`;
  return {
    title: ui === 'react' ? `${what} not found - ${TENANT.name}` : `${TENANT.name} - Error`,
    view: h('div', { class: ui === 'react' ? 'psa-page psa-not-found' : 'ErrorPage', 'data-bms-page': 'not-found', 'data-testid': 'not-found' }, msg),
  };
}

// ---------------------------------------------------------------- React UI (/react/...)

function field(label: string, value: VNode | string, testid?: string): VNode {
  // `.psa-label-field` holds the label text; the value is in the sibling span (docs/psa/kaseya-bms.md#page-hooks).
  return h(
    'div',
    { class: 'psa-field', 'data-testid': testid },
    h('label', { class: 'psa-label-field' }, label),
    h('span', { class: 'psa-field-value' }, value),
  );
}

function reactTicket(s: BmsStore, t: BmsTicket): UiView {
  const account = s.accounts.get(t.accountId);
  const contact = t.contactId === null ? undefined : s.contacts.get(t.contactId);
  const location = t.locationId === null ? undefined : s.locations.get(t.locationId);
  const asset = t.hardwareAssetId === null ? undefined : s.assets.get(t.hardwareAssetId);
  const contract = t.contractId === null ? undefined : s.contracts.get(t.contractId);
  const status = statusOf(t);
  return {
    title: `Ticket #${t.ticketNumber} - ${TENANT.name}`,
    view: h(
      'div',
      {
        class: 'psa-page psa-ticket-page',
        'data-bms-page': 'ticket',
        'data-ticket-id': String(t.id),
        'data-account-id': String(t.accountId),
        'data-testid': 'view-ticket',
      },
      h(
        'div',
        { class: 'psa-ticket-view' },
        h(
          'div',
          { class: 'psa-ticket-view-header' },
          h('span', { class: 'psa-ticket-number', 'data-testid': 'ticket-number' }, `#${t.ticketNumber}`),
          h('h2', { class: 'psa-ticket-view-title', 'data-testid': 'ticket-title' }, t.title),
          h('span', { class: 'psa-status-badge', style: `background:${status?.color ?? '#999'};color:${status?.fontColor ?? '#fff'}` }, status?.name ?? ''),
        ),
        h(
          'div',
          { id: 'createTicket', class: 'createTicket psa-button-bar' },
          h('button', { type: 'button', class: 'psa-button' }, 'Save'),
          h('button', { type: 'button', class: 'psa-button' }, 'Assign to me'),
          h('button', { type: 'button', class: 'psa-button' }, 'Add Note'),
        ),
        h(
          'div',
          { class: 'psa-ticket-info-summary' },
          h(
            'div',
            { class: 'psa-ticket-info-summary-account', 'data-account-id': String(t.accountId), 'data-testid': 'ticket-account' },
            account ? nav(reactAccountUrl(account.id), account.accountName, { 'data-testid': 'ticket-account-link' }) : '',
          ),
          h(
            'div',
            { class: 'psa-ticket-info-summary-contact', 'data-contact-id': contact ? String(contact.id) : undefined, 'data-testid': 'ticket-contact' },
            contact ? contactName(contact) : '',
            contact?.emails[0] ? h('span', { class: 'psa-ticket-info-summary-email' }, contact.emails[0].emailAddress) : null,
            contact?.phones[0] ? h('span', { class: 'psa-ticket-info-summary-phone' }, contact.phones[0].phone) : null,
          ),
          h('div', { class: 'psa-ticket-info-summary-location', 'data-location-id': location ? String(location.id) : undefined }, location?.locationName ?? ''),
        ),
        h(
          'div',
          { class: 'psa-ticket-properties' },
          field('Assignee', employeeName(t.assigneeId) ?? 'Unassigned', 'ticket-assignee'),
          field('Status', status?.name ?? '', 'ticket-status'),
          field('Priority', PRIORITIES.find((p) => p.id === t.priorityId)?.name ?? ''),
          field('Queue', QUEUES.find((q) => q.id === t.queueId)?.name ?? ''),
          field('Ticket Type', TICKET_TYPES.find((x) => x.id === t.typeId)?.name ?? '', 'ticket-type'),
          field('Issue Type', ISSUE_TYPES.find((i) => i.id === t.issueTypeId)?.name ?? ''),
          field('Source', SOURCES[t.sourceId] ?? '', 'ticket-source'),
          field('Asset', asset ? h('span', { 'data-asset-id': String(asset.id), 'data-testid': 'ticket-asset' }, asset.name) : ''),
          field('Contract', contract ? h('span', { 'data-contract-id': String(contract.id) }, contract.contractName) : ''),
          field('Open Date', dateText(t.openDate)),
        ),
        h('div', { class: 'psa-ticket-details', 'data-testid': 'ticket-details' }, stripTags(t.details)),
        h(
          'div',
          { class: 'psa-attachments' },
          ...t.attachments.map((a) =>
            h('div', { class: 'psa-link' }, h('a', { href: `/api2/v2/system/attachments/22/${t.id}/${a.id}/download`, target: '_blank' }, a.originalFileName)),
          ),
        ),
        h('div', { class: 'psa-searchable-items-header' }, 'Activities'),
        h('ul', { class: 'psa-activities' }, h('li', null, `Ticket created by ${employeeName(t.createdBy) ?? 'Workflow'} on ${dateText(t.createdOn)}`)),
      ),
      h(
        'div',
        { class: 'psa-right-side' },
        h(
          'div',
          { class: 'psa-sidebar' },
          h(
            'div',
            { class: 'psa-sidebar-container', 'data-testid': 'ticket-sidebar' },
            h('div', { class: 'psa-sidebar-title' }, 'Related Items'),
            asset ? h('div', null, `Asset: ${asset.name}`) : null,
          ),
        ),
      ),
    ),
  };
}

function section(title: string, cls: string, items: VNode[], total: number): VNode {
  return h(
    'section',
    { class: `psa-section ${cls}`, 'data-testid': cls },
    h('div', { class: 'psa-searchable-items-header' }, `${title} (${total})`),
    h('ul', null, ...items.slice(0, LIST_LIMIT).map((i) => h('li', null, i))),
    total > LIST_LIMIT ? h('div', null, `and ${total - LIST_LIMIT} more`) : null,
  );
}

function accountFacts(s: BmsStore, a: BmsAccount) {
  const locations = s.locations.children(a.id);
  const main = locations.find((l) => l.isMain) ?? locations[0];
  const ad = main?.addresses[0];
  return {
    type: ACCOUNT_TYPES.find((t) => t.id === a.accountTypeId)?.name ?? '',
    manager: EMPLOYEES.find((e) => e.id === a.accountManagerId)?.name ?? '',
    address: ad ? [ad.address1, ad.address2, ad.city, ad.state, ad.zipCode].filter(Boolean).join(', ') : '',
    phone: ad?.phone ?? '',
    locations,
  };
}

function reactAccount(s: BmsStore, a: BmsAccount): UiView {
  const f = accountFacts(s, a);
  const contacts = s.contacts.children(a.id);
  const assets = s.assets.children(a.id);
  const contracts = s.contracts.children(a.id);
  const tickets = s.tickets.children(a.id);
  return {
    title: `${a.accountName} - ${TENANT.name}`,
    view: h(
      'div',
      { class: 'psa-page psa-account-page', 'data-bms-page': 'account', 'data-account-id': String(a.id), 'data-testid': 'view-account' },
      h(
        'div',
        { class: 'psa-account-view' },
        h(
          'div',
          { class: 'psa-account-view-header' },
          h('h2', { class: 'psa-account-view-title', 'data-testid': 'account-name' }, a.accountName),
          h('span', { class: 'psa-account-code' }, a.accountCode ?? ''),
        ),
        h(
          'div',
          { class: 'psa-account-info' },
          field('Account Type', f.type),
          field('Status', a.isActive ? 'Active' : 'Inactive', 'account-status'),
          field('Account Manager', f.manager),
          field('Phone', f.phone),
          field('Address', f.address),
          field('Website', a.website ?? ''),
        ),
        section(
          'Locations',
          'psa-account-locations',
          f.locations.map((l) => h('span', { 'data-location-id': String(l.id) }, `${l.locationName}${l.isMain ? ' (Main)' : ''}`)),
          f.locations.length,
        ),
        section(
          'Contacts',
          'psa-account-contacts',
          contacts.map((c) =>
            h('span', { 'data-contact-id': String(c.id) }, `${contactName(c)}${c.jobTitle ? `, ${c.jobTitle}` : ''}${c.isActive ? '' : ' (inactive)'}`),
          ),
          contacts.length,
        ),
        section(
          'Assets',
          'psa-account-assets',
          assets.map((x) =>
            h('span', { 'data-asset-id': String(x.id) }, `${x.name} (${s.categories.get(x.categoryId) ?? ''})${x.isActive ? '' : ' (inactive)'}`),
          ),
          assets.length,
        ),
        section(
          'Contracts',
          'psa-account-contracts',
          contracts.map((k) => h('span', { 'data-contract-id': String(k.id) }, `${k.contractName} - ${k.status}`, contractServices(s, k.id))),
          contracts.length,
        ),
        section(
          'Tickets',
          'psa-account-tickets',
          tickets.map((t) => nav(reactTicketUrl(t.id), `#${t.ticketNumber} ${t.title}`, { 'data-testid': 'account-ticket-link' })),
          tickets.length,
        ),
      ),
    ),
  };
}

/** A contract's services with their units, as its Services tab lists them (docs/psa/kaseya-bms.md#billing-counts). */
function contractServices(s: BmsStore, contractId: number): VNode | null {
  const lines = s.contractServices.children(contractId);
  if (!lines.length) return null;
  return h(
    'ul',
    { class: 'psa-contract-services', 'data-testid': 'contract-services' },
    ...lines.map((l) =>
      h(
        'li',
        { 'data-contract-service-id': String(l.id), 'data-service-id': String(l.serviceId), 'data-units': String(l.units) },
        `${l.serviceName}: ${l.units} × ${l.unitPrice.toFixed(2)}`,
      ),
    ),
  );
}

function ticketRows(s: BmsStore, mine: boolean): BmsTicket[] {
  const rows = mine ? s.tickets.rows.filter((t) => t.assigneeId === UI_USER.userId) : s.tickets.rows;
  return rows.slice(Math.max(0, rows.length - LIST_LIMIT)).reverse(); // newest first
}

function reactTickets(s: BmsStore, mine: boolean): UiView {
  const rows = ticketRows(s, mine);
  return {
    title: `${mine ? 'My Tickets' : 'Tickets'} - ${TENANT.name}`,
    view: h(
      'div',
      { class: 'psa-page psa-tickets-page', 'data-bms-page': mine ? 'mytickets' : 'tickets', 'data-testid': 'view-tickets' },
      h('div', { class: 'psa-searchable-items-header' }, mine ? 'My Tickets' : 'All Tickets'),
      h(
        'table',
        { class: 'psa-grid', 'data-testid': 'ticket-grid' },
        h(
          'tr',
          { class: 'psa-grid-header' },
          h('th', null, 'Ticket #'),
          h('th', null, 'Title'),
          h('th', null, 'Account'),
          h('th', null, 'Status'),
          h('th', null, 'Assignee'),
        ),
        ...rows.map((t) =>
          h(
            'tr',
            { class: 'psa-grid-row', 'data-ticket-id': String(t.id) },
            h('td', null, nav(mine ? `/react/servicedesk/mytickets/${t.id}` : reactTicketUrl(t.id), t.ticketNumber, { 'data-testid': 'grid-ticket-link' })),
            h('td', null, t.title),
            h('td', null, nav(reactAccountUrl(t.accountId), s.accounts.get(t.accountId)?.accountName ?? '', { 'data-testid': 'grid-account-link' })),
            h('td', null, statusOf(t)?.name ?? ''),
            h('td', null, employeeName(t.assigneeId) ?? ''),
          ),
        ),
      ),
    ),
  };
}

function reactAccounts(s: BmsStore): UiView {
  const rows = s.accounts.rows.slice(0, LIST_LIMIT);
  return {
    title: `Accounts - ${TENANT.name}`,
    view: h(
      'div',
      { class: 'psa-page psa-accounts-page', 'data-bms-page': 'accounts', 'data-testid': 'view-accounts' },
      h('div', { class: 'psa-searchable-items-header' }, `Accounts (${s.accounts.rows.length})`),
      h(
        'table',
        { class: 'psa-grid' },
        ...rows.map((a) =>
          h(
            'tr',
            { class: 'psa-grid-row', 'data-account-id': String(a.id) },
            h('td', null, nav(reactAccountUrl(a.id), a.accountName, { 'data-testid': 'grid-account-link' })),
            h('td', null, a.accountCode ?? ''),
            h('td', null, a.isActive ? 'Active' : 'Inactive'),
          ),
        ),
      ),
    ),
  };
}

// ---------------------------------------------------------------- legacy WebForms UI (/MSP, /CRM)

function prop(label: string, id: string, value: VNode | string): VNode {
  return h('tr', null, h('td', { class: 'FieldLabel' }, `${label}:`), h('td', { class: 'FieldValue' }, h('span', { id }, value)));
}

function legacyTicket(s: BmsStore, t: BmsTicket): UiView {
  const account = s.accounts.get(t.accountId);
  const contact = t.contactId === null ? undefined : s.contacts.get(t.contactId);
  const asset = t.hardwareAssetId === null ? undefined : s.assets.get(t.hardwareAssetId);
  const contract = t.contractId === null ? undefined : s.contracts.get(t.contractId);
  return {
    title: `${TENANT.name} - Ticket# ${t.ticketNumber} - ${t.title}`,
    view: h(
      'form',
      {
        method: 'post',
        action: `./TicketEdit.aspx?ID=${t.id}`,
        id: 'aspnetForm',
        'data-bms-page': 'ticket',
        'data-ticket-id': String(t.id),
        'data-testid': 'view-ticket',
      },
      h(
        'div',
        { id: 'ctl00_phMenu_pnlGroupActionButtons', class: 'GroupActionButtons' },
        h('input', { type: 'submit', value: 'Save', class: 'rbButton' }),
        h('input', { type: 'submit', value: 'Save & Close', class: 'rbButton' }),
      ),
      h(
        'div',
        { class: 'TicketTitle', 'data-testid': 'ticket-title' },
        h('strong', null, `Ticket# ${t.ticketNumber}`),
        ' ',
        h('em', null, h('span', { id: 'ctl00_phContent_lblTicketTitle' }, t.title)),
      ),
      h(
        'div',
        { id: 'ctl00_phContent_pnlTicketProperties', class: 'TicketProperties' },
        h(
          'table',
          { class: 'PropertiesTable' },
          prop(
            'Account',
            'ctl00_phContent_lblVAccount',
            account
              ? h(
                  'a',
                  { class: 'itg-org', href: legacyAccountUrl(account.id), 'data-account-id': String(account.id), 'data-testid': 'ticket-account' },
                  account.accountName,
                )
              : '',
          ),
          prop('Contact', 'ctl00_phContent_lblVContact', contact ? contactName(contact) : ''),
          prop('Location', 'ctl00_phContent_lblVLocation', t.locationId === null ? '' : (s.locations.get(t.locationId)?.locationName ?? '')),
          prop('Primary Assignee', 'ctl00_phContent_lblVPrimaryAssignee', employeeName(t.assigneeId) ?? ''),
          prop('Status', 'ctl00_phContent_lblVStatus', statusOf(t)?.name ?? ''),
          prop('Priority', 'ctl00_phContent_lblVPriority', PRIORITIES.find((p) => p.id === t.priorityId)?.name ?? ''),
          prop('Queue', 'ctl00_phContent_lblVQueue', QUEUES.find((q) => q.id === t.queueId)?.name ?? ''),
          prop('Asset', 'ctl00_phContent_lblVAsset', asset ? h('span', { 'data-asset-id': String(asset.id) }, asset.name) : ''),
          prop('Contract', 'ctl00_phContent_lblVContract', contract?.contractName ?? ''),
          prop('Open Date', 'ctl00_phContent_lblVOpenDate', dateText(t.openDate)),
        ),
      ),
      h('div', { id: 'ctl00_phContent_pnlDetails', class: 'TicketDetails' }, stripTags(t.details)),
      h(
        'div',
        { id: 'ctl00_phContent_CustomAttach_rdAttachment', class: 'RadGrid' },
        h(
          'div',
          { id: 'ctl00_phContent_CustomAttach_rdAttachment_GridData' },
          h(
            'table',
            { class: 'rgMasterTable' },
            ...t.attachments.map((a) =>
              h('tr', { class: 'rgRow' }, h('td', null, h('a', { href: `/api2/v2/system/attachments/22/${t.id}/${a.id}/download` }, a.originalFileName))),
            ),
          ),
        ),
      ),
      h('input', {
        type: 'hidden',
        name: '__VIEWSTATE',
        id: '__VIEWSTATE',
        value: '/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIDD2QWAgIBD2QWAgIBDw8WAh4EVGV4dAUEVGVzdGRkZA==',
      }),
    ),
  };
}

function legacyTickets(s: BmsStore, mine: boolean): UiView {
  const rows = ticketRows(s, mine);
  return {
    title: `${TENANT.name} - ${mine ? 'My Tickets' : 'Tickets'}`,
    view: h(
      'form',
      {
        method: 'post',
        action: mine ? './MyTickets.aspx' : './TicketsListing.aspx',
        id: 'aspnetForm',
        'data-bms-page': mine ? 'mytickets' : 'tickets',
        'data-testid': 'view-tickets',
      },
      h(
        'div',
        { id: 'ctl00_phListing_ctrlListing_rgListing', class: 'RadGrid' },
        h(
          'table',
          { class: 'rgMasterTable', 'data-testid': 'ticket-grid' },
          h(
            'tr',
            null,
            h('th', { class: 'rgHeader' }, 'Ticket #'),
            h('th', { class: 'rgHeader' }, 'Title'),
            h('th', { class: 'rgHeader' }, 'Account'),
            h('th', { class: 'rgHeader' }, 'Status'),
          ),
          ...rows.map((t, i) =>
            h(
              'tr',
              { class: i % 2 ? 'rgAltRow' : 'rgRow', 'data-ticket-id': String(t.id) },
              h('td', null, h('a', { href: legacyTicketUrl(t.id), 'data-testid': 'grid-ticket-link' }, t.ticketNumber)),
              h('td', null, t.title),
              h('td', null, s.accounts.get(t.accountId)?.accountName ?? ''),
              h('td', null, statusOf(t)?.name ?? ''),
            ),
          ),
        ),
      ),
    ),
  };
}

function legacyAccount(s: BmsStore, a: BmsAccount): UiView {
  const f = accountFacts(s, a);
  const contacts = s.contacts.children(a.id);
  return {
    title: `${TENANT.name} - Account - ${a.accountName}`,
    view: h(
      'form',
      {
        method: 'post',
        action: `./AccountEdit.aspx?ID=${a.id}`,
        id: 'aspnetForm',
        'data-bms-page': 'account',
        'data-account-id': String(a.id),
        'data-testid': 'view-account',
      },
      h('div', { class: 'AccountTitle' }, h('span', { id: 'ctl00_phContent_lblAccountName', class: 'itg-org', 'data-testid': 'account-name' }, a.accountName)),
      h(
        'div',
        { id: 'ctl00_phContent_pnlAccountProperties' },
        h(
          'table',
          { class: 'PropertiesTable' },
          prop('Account Code', 'ctl00_phContent_lblVAccountCode', a.accountCode ?? ''),
          prop('Account Type', 'ctl00_phContent_lblVAccountType', f.type),
          prop('Status', 'ctl00_phContent_lblVStatus', a.isActive ? 'Active' : 'Inactive'),
          prop('Phone', 'ctl00_phContent_lblVPhone', f.phone),
          prop('Address', 'ctl00_phContent_lblVAddress', f.address),
          prop('Website', 'ctl00_phContent_lblVWebsite', a.website ?? ''),
        ),
      ),
      h(
        'div',
        { id: 'ctl00_phContent_pnlContacts' },
        h(
          'table',
          { class: 'rgMasterTable' },
          ...contacts
            .slice(0, LIST_LIMIT)
            .map((c) => h('tr', { class: 'rgRow', 'data-contact-id': String(c.id) }, h('td', null, contactName(c)), h('td', null, c.jobTitle ?? ''))),
        ),
      ),
    ),
  };
}

// Over 300 lines on purpose: the markup of every emulated screen the detectors and overlay tests visit, one small function each.
import type { CwRecord, CwStore } from './store.ts';
import { contactName } from './store.ts';

/**
 * GWT-lookalike views of ConnectWise records as a tiny virtual DOM. The server turns it into
 * escaped HTML for full page loads; the client script builds DOM nodes from the same JSON (no
 * HTML strings) for in-app navigation. Class names are the stable `cw_*` / pod hooks real
 * content scripts use (docs/psa/connectwise.md#ticket-page-hooks).
 */

export type VNode = string | { tag: string; attrs?: Record<string, string>; children?: VNode[] };

export type UiTarget = { type: 'ticket' | 'company' | 'contact' | 'configuration' | 'agreement'; id: number } | { type: 'board' };

export interface UiView {
  title: string;
  view: VNode;
}

const ROUTE_TO: Record<Exclude<UiTarget['type'], 'board'>, string> = {
  ticket: 'ServiceFV',
  company: 'CompanyFV',
  contact: 'ContactFV',
  configuration: 'ConfigFV',
  agreement: 'AgreementFV',
};

const LIST_LIMIT = 100; // keeps `large` pages small

/** The record's canonical in-app URL (form A / C / D / E of docs/psa/connectwise.md#record-urls). */
export function recordUrl(codebase: string, type: keyof typeof ROUTE_TO, id: number): string {
  return `/${codebase}/ConnectWise.aspx?locale=en_US&routeTo=${ROUTE_TO[type]}&recid=${id}`;
}

export function boardUrl(codebase: string): string {
  return `/${codebase}/ConnectWise.aspx?fullscreen=false&locale=en_US#startscreen=sr200`;
}

function h(tag: string, attrs: Record<string, string | undefined> | null, ...children: (VNode | null | undefined | false)[]): VNode {
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined) a[k] = v;
  return { tag, attrs: a, children: children.filter((c): c is VNode => c !== null && c !== undefined && c !== false) };
}

function navLink(cb: string, type: keyof typeof ROUTE_TO, id: number, text: string, testid?: string, cls?: string): VNode {
  return h('a', { href: recordUrl(cb, type, id), 'data-cw-nav': type, 'data-record-id': String(id), 'data-testid': testid, class: cls }, text);
}

function banner(section: string, label: string): VNode {
  return h(
    'div',
    { class: 'cw_BannerView', 'data-testid': 'banner' },
    h('div', { class: 'navigationEntry cw_CwLabel' }, section),
    h('div', { class: 'gwt-Label detailLabel cw_CwLabel', 'data-testid': 'detail-label' }, label),
  );
}

function field(label: string, value: VNode | string | undefined, testid?: string): VNode {
  return h(
    'div',
    { class: 'cw_Field', 'data-testid': testid },
    h('div', { class: 'gwt-Label mm_label', title: label }, `${label}:`),
    h('div', { class: 'gwt-Label mm_value' }, value ?? ''),
  );
}

function section(title: string, testid: string, items: VNode[], total: number): VNode {
  return h(
    'div',
    { class: 'cw_Pod', 'data-testid': testid },
    h('div', { class: 'gwt-Label cw_PodHeader' }, `${title} (${total})`),
    h('ul', null, ...items.slice(0, LIST_LIMIT).map((i) => h('li', null, i))),
    total > LIST_LIMIT ? h('div', { class: 'gwt-Label' }, `and ${total - LIST_LIMIT} more`) : null,
  );
}

function refName(v: unknown): string {
  return (v as { name?: string } | undefined)?.name ?? '';
}

function workspace(type: string, id: number | undefined, ...children: (VNode | null)[]): VNode {
  return h(
    'div',
    { class: 'cw-WorkspaceView', 'data-testid': `view-${type}`, 'data-record-type': type, 'data-record-id': id === undefined ? undefined : String(id) },
    ...children,
  );
}

export function buildView(store: CwStore, cb: string, target: UiTarget): UiView {
  switch (target.type) {
    case 'board':
      return boardView(store, cb);
    case 'ticket': {
      const t = store.tickets.get(target.id) ?? store.projectTickets.get(target.id);
      return t ? ticketView(store, cb, t) : notFound('Service Ticket', target.id);
    }
    case 'company': {
      const c = store.companies.get(target.id);
      return c ? companyView(store, cb, c) : notFound('Company', target.id);
    }
    case 'contact': {
      const c = store.contacts.get(target.id);
      return c ? contactView(cb, c) : notFound('Contact', target.id);
    }
    case 'configuration': {
      const c = store.configurations.get(target.id);
      return c ? configView(cb, c) : notFound('Configuration', target.id);
    }
    case 'agreement': {
      const a = store.agreements.get(target.id);
      return a ? agreementView(store, cb, a) : notFound('Agreement', target.id);
    }
  }
}

function notFound(what: string, id: number): UiView {
  return {
    title: 'Manage: Record not found',
    view: workspace(
      'not-found',
      id,
      h('div', { class: 'cw-gxt-wnd', 'data-testid': 'not-found' }, `The ${what} record ${id} could not be found or has been deleted.`),
    ),
  };
}

function ticketView(store: CwStore, cb: string, t: CwRecord): UiView {
  const project = t.recordType === 'ProjectTicket';
  const label = `${project ? 'Project' : 'Service'} Ticket #${t.id} - ${String(t.summary)}`;
  const company = t.company as { id: number; name: string };
  const contact = t.contact as { id: number; name: string } | undefined;
  const configs = (store.ticketConfigurations.get(t.id) ?? []).map((id) => store.configurations.get(id)).filter((c): c is CwRecord => !!c);
  const description = store.initialDescriptions.get(t.id);
  return {
    title: `Manage: ${label}`,
    view: workspace(
      'ticket',
      t.id,
      banner(project ? 'Project Ticket' : 'Service Ticket', label),
      h('div', { class: 'pod_ticketHeaderActions' }, h('span', { class: 'gwt-Label' }, `Age: ${ageOf(t)}`)),
      h(
        'div',
        { class: 'pod_ticketSummary pod_service_ticket_ticket_header', 'data-testid': 'ticket-summary-pod' },
        h('div', { class: 'gwt-Label mm_label', title: 'Summary' }, 'Summary:'),
        h('input', { type: 'text', class: 'cw_PsaSummaryHeader cw_summary', value: String(t.summary), readonly: '' }),
        field('Board', refName(t.board)),
        field('Status', refName(t.status), 'ticket-status'),
        field('Priority', refName(t.priority)),
        field('Type', refName(t.type), 'ticket-type'),
        field('Source', refName(t.source)),
        field('Owner', refName(t.owner), 'ticket-owner'),
      ),
      h(
        'div',
        { class: 'pod_service_ticket_company_header', 'data-testid': 'company-pod', 'data-company-id': String(company.id) },
        h('div', { class: 'gwt-Label mm_label', title: 'Company' }, 'Company:'),
        h(
          'div',
          { 'data-cwid': 'company' },
          h('input', { type: 'text', class: 'cw_company', value: company.name, readonly: '', 'data-testid': 'ticket-company-input' }),
        ),
        navLink(cb, 'company', company.id, company.name, 'ticket-company-link'),
        h('div', { class: 'gwt-Label mm_label', title: 'Contact' }, 'Contact:'),
        h(
          'div',
          { 'data-cwid': 'contact' },
          h('input', { type: 'text', class: 'cw_contact', value: contact?.name ?? '', readonly: '', 'data-testid': 'ticket-contact-input' }),
        ),
        contact ? navLink(cb, 'contact', contact.id, contact.name, 'ticket-contact-link') : null,
        field('Site', refName(t.site)),
        field('Phone', String(t.contactPhoneNumber ?? '')),
        field('Email', String(t.contactEmailAddress ?? '')),
      ),
      section(
        'Configurations',
        'ticket-configurations',
        configs.map((c) => navLink(cb, 'configuration', c.id, String(c.name), 'ticket-config-link')),
        configs.length,
      ),
      description
        ? h(
            'div',
            { class: 'cw_Pod pod_ticketNotes', 'data-testid': 'ticket-initial-description' },
            h('div', { class: 'gwt-Label cw_PodHeader' }, 'Initial Description'),
            h('pre', { class: 'cw_NoteText' }, description),
          )
        : null,
    ),
  };
}

function ageOf(t: CwRecord): string {
  const entered = Date.parse(t._info.dateEntered ?? '');
  const days = Number.isNaN(entered) ? 0 : Math.max(0, Math.floor((Date.now() - entered) / 86_400_000));
  return `${days} days`;
}

function companyView(store: CwStore, cb: string, c: CwRecord): UiView {
  const label = `Company: ${String(c.name)}`;
  const tickets = store.tickets.children(c.id);
  const contacts = store.contacts.children(c.id);
  const configs = store.configurations.children(c.id);
  const agreements = store.agreements.children(c.id);
  const sites = store.sites.children(c.id);
  return {
    title: `Manage: ${label}`,
    view: workspace(
      'company',
      c.id,
      banner('Company', label),
      h(
        'div',
        { class: 'pod_companyDetail', 'data-testid': 'company-detail', 'data-company-id': String(c.id) },
        h('div', { class: 'gwt-Label mm_label', title: 'Company' }, 'Company:'),
        h(
          'div',
          { 'data-cwid': 'company' },
          h('input', { type: 'text', class: 'cw_company', value: String(c.name), readonly: '', 'data-testid': 'company-name-input' }),
        ),
        field('Company ID', String(c.identifier)),
        field('Status', refName(c.status), 'company-status'),
        field('Type', ((c.types as { name: string }[] | undefined) ?? []).map((t) => t.name).join(', ')),
        field('Address', [c.addressLine1, c.addressLine2, c.city, c.state, c.zip].filter(Boolean).join(', ')),
        field('Phone', String(c.phoneNumber ?? '')),
        field('Website', String(c.website ?? '')),
        c.deletedFlag ? h('div', { class: 'gwt-Label', 'data-testid': 'company-deleted' }, 'This company has been deleted.') : null,
      ),
      section(
        'Service Tickets',
        'company-tickets',
        tickets.map((t) => navLink(cb, 'ticket', t.id, `#${t.id} - ${String(t.summary)}`, 'company-ticket-link')),
        tickets.length,
      ),
      section(
        'Contacts',
        'company-contacts',
        contacts.map((p) => navLink(cb, 'contact', p.id, contactName(p), 'company-contact-link')),
        contacts.length,
      ),
      section(
        'Configurations',
        'company-configurations',
        configs.map((x) => navLink(cb, 'configuration', x.id, `${String(x.name)} (${refName(x.type)})`, 'company-config-link')),
        configs.length,
      ),
      section(
        'Agreements',
        'company-agreements',
        agreements.map((a) => navLink(cb, 'agreement', a.id, String(a.name), 'company-agreement-link')),
        agreements.length,
      ),
      section(
        'Sites',
        'company-sites',
        sites.map((s) => `${String(s.name)}${s.primaryAddressFlag ? ' (primary)' : ''}`),
        sites.length,
      ),
    ),
  };
}

function companyLink(cb: string, r: CwRecord, testid: string): VNode {
  const co = r.company as { id: number; name: string } | undefined;
  return co ? navLink(cb, 'company', co.id, co.name, testid) : '';
}

function contactView(cb: string, c: CwRecord): UiView {
  const name = contactName(c);
  const label = `Contact: ${name}`;
  const items = (c.communicationItems as { type?: { name?: string }; value?: string }[] | undefined) ?? [];
  return {
    title: `Manage: ${label}`,
    view: workspace(
      'contact',
      c.id,
      banner('Contact', label),
      h(
        'div',
        { class: 'pod_contactDetail', 'data-testid': 'contact-detail' },
        field('Name', name),
        field('Title', String(c.title ?? '')),
        field('Company', companyLink(cb, c, 'contact-company-link')),
        ...items.map((i) => field(i.type?.name ?? 'Communication', i.value ?? '')),
        c.inactiveFlag ? h('div', { class: 'gwt-Label' }, 'Inactive') : null,
      ),
    ),
  };
}

function configView(cb: string, c: CwRecord): UiView {
  const label = `Configuration: ${String(c.name)}`;
  const contact = c.contact as { id: number; name: string } | undefined;
  return {
    title: `Manage: ${label}`,
    view: workspace(
      'configuration',
      c.id,
      banner('Configuration', label),
      h(
        'div',
        { class: 'pod_configDetail', 'data-testid': 'config-detail' },
        field('Configuration Type', refName(c.type), 'config-type'),
        field('Status', refName(c.status)),
        field('Company', companyLink(cb, c, 'config-company-link')),
        field('Contact', contact ? navLink(cb, 'contact', contact.id, contact.name, 'config-contact-link') : ''),
        field('Serial Number', String(c.serialNumber ?? '')),
        field('Model Number', String(c.modelNumber ?? '')),
        field('IP Address', String(c.ipAddress ?? '')),
        field('MAC Address', String(c.macAddress ?? '')),
        field('OS', String(c.osInfo ?? '')),
      ),
    ),
  };
}

/** The agreement's Additions tab as a grid: product, description, quantity, cancelled date (billing counts land here). */
function additionsPod(store: CwStore, a: CwRecord): VNode {
  const rows = store.additions.children(a.id);
  const cell = (text: string, testid?: string) => h('td', { 'data-testid': testid }, text);
  return h(
    'div',
    { class: 'cw_Pod pod_agreementAdditions', 'data-testid': 'agreement-additions' },
    h('div', { class: 'gwt-Label cw_PodHeader' }, `Additions (${rows.length})`),
    rows.length
      ? h(
          'table',
          { class: 'srboard-grid' },
          h('tr', null, h('th', null, 'Product ID'), h('th', null, 'Description'), h('th', null, 'Qty'), h('th', null, 'Cancelled')),
          ...rows.map((r) =>
            h(
              'tr',
              {
                'data-testid': 'agreement-addition',
                'data-record-id': String(r.id),
                'data-product': String((r.product as { identifier?: string }).identifier ?? ''),
              },
              cell(String((r.product as { identifier?: string }).identifier ?? '')),
              cell(String(r.description ?? '')),
              cell(String(r.quantity ?? 0), 'addition-quantity'),
              cell(String(r.cancelledDate ?? '').slice(0, 10)),
            ),
          ),
        )
      : h('div', { class: 'gwt-Label' }, 'No additions.'),
  );
}

function agreementView(store: CwStore, cb: string, a: CwRecord): UiView {
  const label = `Agreement: ${String(a.name)}`;
  return {
    title: `Manage: ${label}`,
    view: workspace(
      'agreement',
      a.id,
      banner('Agreement', label),
      h(
        'div',
        { class: 'pod_agreementDetail', 'data-testid': 'agreement-detail' },
        field('Type', refName(a.type)),
        field('Status', String(a.agreementStatus ?? ''), 'agreement-status'),
        field('Company', companyLink(cb, a, 'agreement-company-link')),
        field('Start Date', String(a.startDate ?? '').slice(0, 10)),
        field('End Date', String(a.endDate ?? '').slice(0, 10)),
      ),
      additionsPod(store, a),
    ),
  };
}

function boardView(store: CwStore, cb: string): UiView {
  const rows = store.tickets.rows;
  const shown = rows.length > LIST_LIMIT ? rows.slice(rows.length - LIST_LIMIT) : rows;
  return {
    title: 'Manage: Service Board',
    view: workspace(
      'board',
      undefined,
      banner('Service Board', 'Service Board: All Boards'),
      h(
        'table',
        { class: 'srboard-grid', 'data-testid': 'service-board' },
        h('tr', { class: 'cw-ml-header' }, h('th', null, 'Ticket #'), h('th', null, 'Company'), h('th', null, 'Summary'), h('th', null, 'Status')),
        ...shown.map((t) =>
          h(
            'tr',
            { class: 'cw-ml-row', 'data-ticket-id': String(t.id) },
            h('td', null, navLink(cb, 'ticket', t.id, String(t.id), 'board-ticket-link', 'multilineClickable')),
            h('td', null, refName(t.company)),
            h('td', null, String(t.summary)),
            h('td', null, refName(t.status)),
          ),
        ),
      ),
    ),
  };
}

import type { Clock } from '../framework/clock.ts';
import { sleep } from '../framework/core.ts';
import type { EmuRequest, EmuResponse } from '../framework/types.ts';
import { cookie, USERS } from './auth.ts';
import type { TokenService } from './auth.ts';
import { TENANT } from './lookups.ts';
import type { BmsStore } from './store.ts';
import { uiClientJs } from './ui-client.ts';
import { buildView, UI_USER } from './ui-view.ts';
import type { UiTarget, VNode } from './ui-view.ts';

/**
 * The BMS web UI on the real URL shapes (docs/psa/kaseya-bms.md#web-ui), same origin as the API:
 * legacy WebForms `/MSP/TicketEdit.aspx?ID=N`, `/MSP/TicketsListing.aspx`, `/MSP/MyTickets.aspx`,
 * `/CRM/AccountEdit.aspx?ID=N` [G]; React `/react/servicedesk/(my)tickets[/N]`,
 * `/react/home/views/V/(my)tickets[/N]`, `/react/crm/accounts[/N]` [G for accounts].
 * Every page sets the `PSAAuthToken` cookie (a bearer for `/api2/v2/...`) when missing.
 */

const REACT_TICKET = /^\/react\/(?:servicedesk|home\/views\/\d+)\/(my)?tickets\/(\d+)$/i;
const REACT_TICKETS = /^\/react\/(?:servicedesk|home\/views\/\d+)\/(my)?tickets$/i;
const REACT_ACCOUNT = /^\/react\/crm\/accounts\/(\d+)$/i;
const REACT_ACCOUNTS = /^\/react\/crm\/accounts$/i;
const LEGACY_TICKET = /^\/MSP\/TicketEdit\.aspx$/i;
const LEGACY_LIST = /^\/MSP\/(TicketsListing|MyTickets)\.aspx$/i;
const LEGACY_ACCOUNT = /^\/CRM\/AccountEdit\.aspx$/i;

function qp(url: URL, name: string): string | undefined {
  for (const [k, v] of url.searchParams) if (k.toLowerCase() === name.toLowerCase()) return v;
  return undefined;
}

/** Which page a UI URL shows (null: not a UI page). */
export function targetOf(url: URL): UiTarget | null {
  const p = url.pathname.replace(/\/+$/, '') || '/';
  let m = REACT_TICKET.exec(p);
  if (m) return { ui: 'react', type: 'ticket', id: Number(m[2]) };
  m = REACT_TICKETS.exec(p);
  if (m) return { ui: 'react', type: 'tickets', mine: Boolean(m[1]) };
  m = REACT_ACCOUNT.exec(p);
  if (m) return { ui: 'react', type: 'account', id: Number(m[1]) };
  if (REACT_ACCOUNTS.test(p)) return { ui: 'react', type: 'accounts' };
  if (/^\/react$/i.test(p)) return { ui: 'react', type: 'tickets', mine: false };
  if (LEGACY_TICKET.test(p)) return { ui: 'legacy', type: 'ticket', id: Number(qp(url, 'ID')) || 0 };
  m = LEGACY_LIST.exec(p);
  if (m) return { ui: 'legacy', type: 'tickets', mine: (m[1] as string).toLowerCase() === 'mytickets' };
  if (LEGACY_ACCOUNT.test(p)) return { ui: 'legacy', type: 'account', id: Number(qp(url, 'ID')) || 0 };
  return null;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c] as string);
}

const VOID = new Set(['input', 'br', 'img', 'hr', 'meta']);
export function renderHtml(v: VNode): string {
  if (typeof v === 'string') return escapeHtml(v);
  const attrs = Object.entries(v.attrs ?? {})
    .map(([k, val]) => ` ${k}="${escapeHtml(val)}"`)
    .join('');
  if (VOID.has(v.tag)) return `<${v.tag}${attrs}>`;
  return `<${v.tag}${attrs}>${(v.children ?? []).map(renderHtml).join('')}</${v.tag}>`;
}

const REACT_STYLE = `body{font:14px "Segoe UI",Roboto,Arial,sans-serif;margin:0;background:#f4f6f9;color:#222}
.psa-header{background:#1f2d3d;color:#fff;padding:8px 16px;display:flex;justify-content:space-between}
.psa-app{display:flex;flex-direction:column;min-height:100vh}.psa-body-row{display:flex;flex:1}
.psa-left-side{width:200px;background:#222d32}.sidebar-menu{list-style:none;margin:0;padding:8px 0}.sidebar-menu a{color:#b8c7ce;display:block;padding:6px 16px;text-decoration:none}
.psa-main{flex:1;padding:16px}.psa-page{display:flex;gap:16px}.psa-ticket-view,.psa-account-view{flex:1;background:#fff;padding:16px;border-radius:4px}
.psa-right-side{width:280px}.psa-sidebar{background:#fff;padding:12px;border-radius:4px}.psa-field{margin:4px 0}.psa-label-field{display:inline-block;min-width:130px;color:#666}
.psa-status-badge{padding:2px 8px;border-radius:10px;margin-left:8px}.psa-grid td,.psa-grid th{padding:4px 8px;text-align:left}.psa-searchable-items-header{font-weight:600;margin-top:12px}`;

const LEGACY_STYLE = `body{font:12px Verdana,Arial,sans-serif;margin:0;background:#fff}#ctl00_pnlHeader{background:#003a63;color:#fff;padding:6px 12px}
#ctl00_pnlHeader a{color:#fff;margin-right:14px}#ctl00_pnlContent{padding:10px}.TicketTitle{font-size:15px;margin:8px 0}.FieldLabel{color:#555;padding-right:10px}
.rgMasterTable td,.rgMasterTable th{padding:3px 8px;border-bottom:1px solid #ddd}`;

function reactPage(title: string, view: VNode | null): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${REACT_STYLE}</style></head>
<body class="psa-body">
<div id="root"><div class="psa-app">
<header class="psa-header"><span class="psa-logo">${escapeHtml(TENANT.name)}</span><span class="psa-user">${escapeHtml(UI_USER.fullName)}</span></header>
<div class="psa-body-row"><aside class="psa-left-side"><ul class="sidebar-menu tree">
<li class="treeview"><a href="/react/servicedesk/tickets" data-bms-nav="" data-testid="nav-tickets">Tickets</a></li>
<li class="treeview"><a href="/react/servicedesk/mytickets" data-bms-nav="" data-testid="nav-mytickets">My Tickets</a></li>
<li class="treeview"><a href="/react/crm/accounts" data-bms-nav="" data-testid="nav-accounts">Accounts</a></li>
</ul></aside>
<main id="psa-content" class="psa-main" data-ssr="${view ? '1' : '0'}">${view ? renderHtml(view) : ''}</main></div>
</div></div>
<script src="/react/__ui/client.js"></script>
</body></html>`;
}

function legacyPage(title: string, view: VNode): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${LEGACY_STYLE}</style></head>
<body>
<div id="ctl00_pnlHeader"><a href="/MSP/TicketsListing.aspx" data-testid="nav-tickets">Tickets</a><a href="/MSP/MyTickets.aspx">My Tickets</a><a href="/react/servicedesk/tickets">New UI</a></div>
<div id="ctl00_pnlContent">${renderHtml(view)}</div>
<script src="/react/__ui/client.js"></script>
</body></html>`;
}

export interface UiOptions {
  store: BmsStore;
  tokens: TokenService;
  clock: Clock;
  /** React pages arrive server-rendered (default) or as an empty shell the script fills. */
  reactSsr: boolean;
  /** Extra delay of the React view JSON (elements "appear late", docs/psa/kaseya-bms.md#in-app-navigation). */
  reactRenderDelayMs: number;
}

export function createUi(opts: UiOptions): { handle(req: EmuRequest): Promise<EmuResponse | null> } {
  const uiUser = USERS.find((u) => u.userId === UI_USER.userId) ?? (USERS[0] as (typeof USERS)[number]);
  const js = uiClientJs({
    userId: uiUser.userId,
    fullName: uiUser.fullName,
    emailAddress: uiUser.email,
    tenantId: TENANT.id,
    businessName: TENANT.name,
    newTicketingUI: true,
  });

  /** The web session: a valid `PSAAuthToken` cookie, issued when missing or expired. */
  function sessionHeaders(req: EmuRequest): Record<string, string> {
    const current = cookie(req, 'PSAAuthToken');
    if (opts.tokens.check(current, opts.clock.now().getTime()).ok) return {};
    const token = String(opts.tokens.issue(uiUser, opts.clock.now().getTime()).accessToken);
    return { 'Set-Cookie': `PSAAuthToken=${token}; Path=/; SameSite=Lax` };
  }

  async function handle(req: EmuRequest): Promise<EmuResponse | null> {
    if (req.method !== 'GET') return null;
    const path = req.pathname.toLowerCase();
    if (path === '/favicon.ico') return { status: 204, headers: { 'Cache-Control': 'max-age=3600' } };
    if (path === '/' || path === '/default.aspx') return { status: 302, headers: { Location: '/react/servicedesk/tickets' }, body: '' };
    if (path === '/react/__ui/client.js')
      return { status: 200, headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }, body: js };
    if (path === '/react/__ui/view') {
      let target: UiTarget | null;
      try {
        target = targetOf(new URL(req.url.searchParams.get('url') ?? '', 'http://emulator.local'));
      } catch {
        target = null;
      }
      const t: UiTarget = target?.ui === 'react' ? target : { ui: 'react', type: 'tickets', mine: false };
      await sleep(opts.reactRenderDelayMs);
      return {
        status: 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' },
        body: JSON.stringify({ ...buildView(opts.store, t), target: t }),
      };
    }
    const target = targetOf(req.url);
    if (!target) return null;
    const v = buildView(opts.store, target);
    const html = target.ui === 'react' ? reactPage(v.title, opts.reactSsr ? v.view : null) : legacyPage(v.title, v.view);
    return {
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache, no-store', 'X-Frame-Options': 'SAMEORIGIN', ...sessionHeaders(req) },
      body: html,
    };
  }

  return { handle };
}

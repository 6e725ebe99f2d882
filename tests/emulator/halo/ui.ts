import type { EmuContext, EmuRequest, EmuResponse } from '../framework/types.ts';
import type { Serializer } from './serialize.ts';
import type { HaloStore } from './store.ts';
import { UI_CLIENT_JS } from './ui-client.ts';
import { buildView, DEFAULT_LIST } from './ui-view.ts';
import type { UiTarget, UiView, VNode } from './ui-view.ts';

/**
 * The Halo agent web app and self-service portal on the real URL shapes (docs/psa/halo.md#agent-app-routes, #portal-routes, #example-urls),
 * same origin as the API. Records are addressed by query parameters on a few paths:
 * `/tickets?id=`, `/customers?[mainview=client&]clientid=`, `/customers?mainview=site&siteid=`,
 * `/customers?mainview=user&userid=`, `/assets?id=`, `/portal/ticket?id=`. Full loads are
 * server-rendered; `/__ui/view?url=` (not the API) returns the view JSON for in-app navigation.
 */

function qp(url: URL, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of url.searchParams) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function posInt(v: string | undefined): number | undefined {
  const n = Number(v);
  return v !== undefined && v.trim() !== '' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Which view a URL shows; null = not a Halo page (the server answers 404). */
export function targetOf(url: URL): UiTarget | null {
  const path = url.pathname.toLowerCase().replace(/\/+$/, '') || '/';
  switch (path) {
    case '/':
      return { type: 'ticket-list', list: DEFAULT_LIST };
    case '/tickets': {
      const raw = qp(url, 'id');
      if (raw?.trim() === '-1') return { type: 'new-ticket' };
      const id = posInt(raw);
      if (id) return { type: 'ticket', id };
      const list = new URLSearchParams(url.search);
      list.delete('id');
      return { type: 'ticket-list', list: list.toString() };
    }
    case '/customers': {
      const view = (qp(url, 'mainview') ?? '').toLowerCase();
      if (view === 'site') {
        const id = posInt(qp(url, 'siteid'));
        return id ? { type: 'site', id } : { type: 'site-list' };
      }
      if (view === 'user') {
        const id = posInt(qp(url, 'userid'));
        return id ? { type: 'user', id } : { type: 'user-list' };
      }
      const id = posInt(qp(url, 'clientid'));
      return id ? { type: 'client', id } : { type: 'client-list' };
    }
    case '/assets': {
      const id = posInt(qp(url, 'id')) ?? posInt(qp(url, 'assetid'));
      return id ? { type: 'asset', id } : { type: 'asset-list' };
    }
    case '/portal':
    case '/portal/home':
      return { type: 'portal-home' };
    case '/portal/tickets':
      return { type: 'portal-tickets' };
    case '/portal/ticket': {
      const id = posInt(qp(url, 'id'));
      return id ? { type: 'portal-ticket', id } : { type: 'portal-tickets' };
    }
  }
  if (path.startsWith('/portal/')) return { type: 'portal-404', path: url.pathname };
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

const STYLE = `body{font:13px "Segoe UI",Roboto,Arial,sans-serif;margin:0;background:#f4f6f9;color:#222}
.halo-topbar{background:#1b2a4a;color:#fff;padding:8px 14px;display:flex;gap:18px;align-items:center}.halo-topbar a{color:#cfe0ff;text-decoration:none}
.halo-logo{font-weight:700}#halo-content{padding:14px}.halo-record-header h1{font-size:18px;margin:4px 0 12px}.halo-kicker{color:#667;text-transform:uppercase;font-size:11px}
.halo-ticket-layout{display:flex;gap:14px}.halo-ticket-main{flex:1;background:#fff;padding:10px;border:1px solid #dde}.halo-ticket-sidepanel{width:300px;background:#fff;padding:10px;border:1px solid #dde}
.halo-field{margin:6px 0}.halo-field-label,.halo-field label{display:block;color:#667;font-size:11px}.halo-tab-section{background:#fff;border:1px solid #dde;margin:10px 0;padding:8px}
.halo-ticket-table{background:#fff;border-collapse:collapse}.halo-ticket-table td,.halo-ticket-table th{padding:4px 10px;border-bottom:1px solid #eef;text-align:left}
.halo-badge{display:inline-block;background:#999;color:#fff;padding:1px 6px;border-radius:3px}.halo-portal .halo-topbar{background:#0d6e6e}`;

function page(v: UiView, target: UiTarget): string {
  const nav =
    v.shell === 'portal'
      ? `<a href="/portal/home" data-halo-nav="" data-testid="nav-portal-home">Home</a><a href="/portal/tickets?viewid=1" data-halo-nav="" data-testid="nav-portal-tickets">My Tickets</a>`
      : `<a href="/tickets?${DEFAULT_LIST}" data-halo-nav="" data-testid="nav-tickets">Tickets</a><a href="/customers" data-halo-nav="" data-testid="nav-customers">Customers</a><a href="/assets" data-halo-nav="" data-testid="nav-assets">Assets</a>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="application-name" content="HaloPSA"><title>${escapeHtml(v.title)}</title><style>${STYLE}</style></head>
<body class="halo-${v.shell}" data-halo-view="${escapeHtml(target.type)}">
<div id="root"><div class="halo-app"><header class="halo-topbar"><span class="halo-logo">${v.shell === 'portal' ? 'Self-Service Portal' : 'HaloPSA'}</span><nav class="halo-leftnav">${nav}</nav></header>
<main id="halo-content">${renderHtml(v.view)}</main></div></div>
<script src="/__ui/app.js"></script>
</body></html>`;
}

const HTML_HEADERS = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Frame-Options': 'SAMEORIGIN' };

export function handleUi(req: EmuRequest, _ctx: EmuContext, store: HaloStore, ser: Serializer): EmuResponse | null {
  if (req.method !== 'GET') return null;
  const lower = req.pathname.toLowerCase();
  if (lower === '/favicon.ico') return { status: 204, headers: { 'Cache-Control': 'max-age=3600' } };
  if (lower === '/__ui/app.js')
    return { status: 200, headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }, body: UI_CLIENT_JS };
  if (lower === '/__ui/view') {
    let target: UiTarget | null;
    try {
      target = targetOf(new URL(req.url.searchParams.get('url') ?? '', 'http://emulator.local'));
    } catch {
      target = null;
    }
    const t = target ?? { type: 'portal-404' as const, path: req.url.searchParams.get('url') ?? '' };
    const v = buildView(store, ser, t);
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' },
      body: JSON.stringify({ ...v, target: t }),
    };
  }
  // The portal's ticket list lives at ?viewid=1 (docs/psa/halo.md#portal-routes).
  if (lower.replace(/\/+$/, '') === '/portal/tickets' && !req.url.searchParams.has('viewid')) {
    return { status: 302, headers: { Location: '/portal/tickets?viewid=1' } };
  }
  const t = targetOf(req.url);
  if (!t) return null;
  return { status: 200, headers: HTML_HEADERS, body: page(buildView(store, ser, t), t) };
}

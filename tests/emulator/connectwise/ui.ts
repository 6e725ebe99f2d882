import type { EmuRequest, EmuResponse } from '../framework/types.ts';
import { CODEBASES } from './api.ts';
import type { CwStore } from './store.ts';
import { UI_CLIENT_JS } from './ui-client.ts';
import { boardUrl, buildView } from './ui-view.ts';
import type { UiTarget, VNode } from './ui-view.ts';

/**
 * The ConnectWise web UI on the real URL shapes (docs/psa/connectwise.md#record-urls), same origin as the API
 * (on-premises style). Pages are server-rendered; `/{codebase}/__ui/record?url=` returns the
 * view for any URL so the client script can navigate without reloads.
 */

const CB = `(${CODEBASES.join('|')})`;
const APP_RE = new RegExp(`^/${CB}/connectwise\\.(aspx|html)$`, 'i');
const OPENRECORD_RE = new RegExp(`^/${CB}/services/system_io/router/openrecord\\.rails$`, 'i');
const SR100_RE = new RegExp(`^/${CB}/services/system_io/service/fv_sr100_request\\.rails$`, 'i');
const UI_RECORD_RE = new RegExp(`^/${CB}/__ui/record$`, 'i');
const UI_CLIENT_RE = new RegExp(`^/${CB}/__ui/client\\.js$`, 'i');

const ROUTE_TYPES: Record<string, Exclude<UiTarget['type'], 'board'>> = {
  servicefv: 'ticket',
  srservicefv: 'ticket',
  companyfv: 'company',
  accountfv: 'company',
  contactfv: 'contact',
  configfv: 'configuration',
  configurationfv: 'configuration',
  agreementfv: 'agreement',
};

function qp(url: URL, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of url.searchParams) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function recid(url: URL, ...names: string[]): number | undefined {
  for (const n of names) {
    const v = Number(qp(url, n));
    if (Number.isInteger(v) && v > 0) return v;
  }
  return undefined;
}

/** Which record a UI URL shows (null: not a UI page). The hash is only known client-side. */
export function targetOf(url: URL): { codebase: string; target: UiTarget } | null {
  let m = APP_RE.exec(url.pathname);
  if (m) {
    const codebase = m[1] as string;
    const hash = decodeURIComponent(url.hash.replace(/^#/, ''));
    if (/startscreen=sr1[05]0/i.test(hash)) {
      const rd = /"rd"\s*:\s*(\d+)/.exec(hash); // form I: the first positive rd is the ticket
      if (rd && Number(rd[1]) > 0) return { codebase, target: { type: 'ticket', id: Number(rd[1]) } };
    }
    const type = ROUTE_TYPES[(qp(url, 'routeTo') ?? '').toLowerCase()];
    const id = recid(url, 'recid', 'srRecID');
    if (type && id) return { codebase, target: { type, id } };
    if (!qp(url, 'routeTo') && recid(url, 'srRecID')) return { codebase, target: { type: 'ticket', id: recid(url, 'srRecID') as number } };
    return { codebase, target: { type: 'board' } };
  }
  m = OPENRECORD_RE.exec(url.pathname);
  if (m) {
    const type = ROUTE_TYPES[(qp(url, 'recordType') ?? '').toLowerCase()];
    const id = recid(url, 'recid');
    return { codebase: m[1] as string, target: type && id ? { type, id } : { type: 'board' } };
  }
  m = SR100_RE.exec(url.pathname);
  if (m) {
    const id = recid(url, 'service_recid', 'srRecID', 'recid');
    return { codebase: m[1] as string, target: id ? { type: 'ticket', id } : { type: 'board' } };
  }
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

const STYLE = `body{font:13px Arial,sans-serif;margin:0;background:#f3f5f7}#cwHeader{background:#026cb6;color:#fff;padding:6px 12px}
#cwHeader a{color:#fff;margin-left:16px}#cwContent{padding:12px}.cw_BannerView{background:#fff;border-bottom:1px solid #ccd;padding:8px;margin-bottom:8px}
.detailLabel{font-size:16px;font-weight:bold}.cw_Pod,[class^=pod_]{background:#fff;border:1px solid #dde;margin:8px 0;padding:8px}
.mm_label{color:#555;display:inline-block;min-width:120px}.mm_value{display:inline-block}.srboard-grid td,.srboard-grid th{padding:3px 8px;text-align:left}`;

function page(codebase: string, title: string, view: VNode): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body class="cw-body">
<div id="cwHeader" class="cw-HeaderView"><span class="gwt-Label cw_CwLabel">ConnectWise Manage</span><a href="${escapeHtml(boardUrl(codebase))}" data-cw-nav="board" data-testid="nav-board">Service Board</a></div>
<div id="cwContent">${renderHtml(view)}</div>
<script src="/${escapeHtml(codebase)}/__ui/client.js"></script>
</body></html>`;
}

const HTML_HEADERS = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Frame-Options': 'SAMEORIGIN' };

export function handleUi(req: EmuRequest, store: CwStore): EmuResponse | null {
  if (req.method !== 'GET') return null;
  if (req.pathname.toLowerCase() === '/favicon.ico') return { status: 204, headers: { 'Cache-Control': 'max-age=3600' } };
  if (UI_CLIENT_RE.test(req.pathname))
    return { status: 200, headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }, body: UI_CLIENT_JS };
  const rec = UI_RECORD_RE.exec(req.pathname);
  if (rec) {
    const raw = req.url.searchParams.get('url') ?? '';
    let target: ReturnType<typeof targetOf>;
    try {
      target = targetOf(new URL(raw, 'http://emulator.local'));
    } catch {
      target = null;
    }
    const t = target ?? { codebase: rec[1] as string, target: { type: 'board' } as UiTarget };
    const v = buildView(store, t.codebase, t.target);
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' },
      body: JSON.stringify({ ...v, target: t.target }),
    };
  }
  const t = targetOf(req.url);
  if (!t) return null;
  const v = buildView(store, t.codebase, t.target);
  return { status: 200, headers: HTML_HEADERS, body: page(t.codebase, v.title, v.view) };
}

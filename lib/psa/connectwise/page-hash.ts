/**
 * ConnectWise Manage keeps its in-app navigation state in `location.hash` (docs/psa/connectwise.md#record-urls
 * forms I–L, #compressed-hash-state). This file turns such a hash into a page kind and record id.
 *
 * Two shapes exist:
 *   #startscreen=sr150&state={"p":"sr150","s":{"p":{"rd":123,"screenid":"sr100"}}}   (plain JSON, often URL-encoded)
 *   #XQAACAD…??ServiceTicket    (LZMA-alone JSON in base64 with `$`/`_` for `+`/`/`; `??Screen` label optional)
 */
import { parseRecordId, type HashPage } from '../../detect/record';
import type { PageKind } from '../../detect/types';
import { decodeLzmaAlone } from './lzma';

/**
 * Screen ids seen in real states (`"p"`, or `"screenid"` inside `s.p`). Only sr100 is a record
 * screen. Listing the list screens matters too: a known list screen wins over a record-looking
 * `??` label, an unknown screen defers to the label.
 */
const SCREEN_KINDS: Readonly<Record<string, PageKind>> = {
  sr100: 'ticket',
  sr200: 'other', // service board
  activity_detail: 'other', // activities are not synced
  my_calendar: 'other',
  product_setup: 'other',
  setup_tables: 'other',
  my_account: 'other',
};

/**
 * `??Screen` labels seen in real URLs, lower-cased. Exact matches only: `CompanyServiceList`
 * contains "Company" but is a ticket list. Unlisted labels mean 'other': guessing a record kind
 * from an unseen label would make the overlay claim a record it cannot identify.
 */
const LABEL_KINDS: Readonly<Record<string, PageKind>> = {
  serviceticket: 'ticket',
  companydetail: 'company',
};

// States seen are under 1 KB; these caps keep a hostile address bar from costing real work.
const MAX_PACKED_CHARS = 16_384;
const MAX_STATE_BYTES = 65_536;
const MAX_DEPTH = 12;

/** Classify a URL hash, or undefined when it carries no ConnectWise state at all. */
export function classifyHash(hash: string): HashPage | undefined {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body === '') return undefined;

  if (/^startscreen=/i.test(body)) {
    let startscreen: string | undefined;
    let stateText: string | undefined;
    for (const [key, value] of new URLSearchParams(body)) {
      const k = key.toLowerCase();
      if (k === 'startscreen') startscreen ??= value;
      else if (k === 'state') stateText ??= value;
    }
    return fromState(parseJson(stateText), startscreen, undefined);
  }

  const sep = body.indexOf('??');
  const packed = sep < 0 ? body : body.slice(0, sep);
  const label = sep < 0 ? undefined : body.slice(sep + 2);
  const state = unpackState(packed);
  if (state === undefined && label === undefined) return undefined;
  return fromState(state, undefined, label);
}

function fromState(state: unknown, startscreen: string | undefined, label: string | undefined): HashPage {
  const root = asObject(state);
  const params = asObject(asObject(root?.['s'])?.['p']);
  // `screenid` (form I) is more specific than the outer screen `p` (sr150 wraps sr100).
  const screens = [params?.['screenid'], root?.['p'], startscreen];
  let kind: PageKind | undefined;
  for (const screen of screens) {
    if (typeof screen === 'string' && Object.hasOwn(SCREEN_KINDS, screen)) {
      kind = SCREEN_KINDS[screen];
      break;
    }
  }
  if (kind === undefined && label !== undefined) {
    const key = label.trim().toLowerCase();
    if (Object.hasOwn(LABEL_KINDS, key)) kind = LABEL_KINDS[key];
  }
  if (kind === undefined || kind === 'other') return { kind: 'other' };
  // `rd` is the record id on detail screens (form I). Where it sits in a compressed ticket state
  // is not confirmed [INFER, docs/psa/connectwise.md#compressed-hash-state], so take the screen's own `s.p.rd`, else the first positive
  // `rd` anywhere; list panels carry `"rd":0`, which is skipped.
  const id = positiveId(params?.['rd']) ?? findRd(root, 0);
  return id === undefined ? { kind } : { kind, id };
}

function positiveId(value: unknown): string | undefined {
  const id = parseRecordId(value);
  return id === 0 ? undefined : id;
}

function findRd(node: unknown, depth: number): string | undefined {
  if (depth > MAX_DEPTH || typeof node !== 'object' || node === null) return undefined;
  const obj = node as Record<string, unknown>;
  const own = positiveId(obj['rd']);
  if (own !== undefined) return own;
  for (const value of Object.values(obj)) {
    const found = findRd(value, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Base64 (`$`/`_` or `+`/`/`) → LZMA-alone → UTF-8 → JSON object; undefined on any failure. */
export function unpackState(packed: string): Record<string, unknown> | undefined {
  if (packed.length < 24 || packed.length > MAX_PACKED_CHARS) return undefined;
  const bytes = decodeBase64(packed);
  if (bytes === undefined) return undefined;
  const raw = decodeLzmaAlone(bytes, MAX_STATE_BYTES);
  if (raw === null) return undefined;
  return asObject(parseJson(new TextDecoder().decode(raw)));
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function decodeBase64(text: string): Uint8Array | undefined {
  const s = text.replace(/=+$/, ''); // padding is sometimes present, sometimes not
  if (s.length % 4 === 1) return undefined;
  const out = new Uint8Array((s.length * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (const ch of s) {
    let v = B64.indexOf(ch);
    if (ch === '$' || ch === '+') v = 62;
    else if (ch === '_' || ch === '/') v = 63;
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

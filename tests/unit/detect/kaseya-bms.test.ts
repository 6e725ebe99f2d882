import { describe, expect, it } from 'vitest';
import { PSA_PAGE_KINDS, type PageKind } from '../../../lib/detect/index';
import { detectorFor, detectPage } from '../../../lib/psa/pages';
import { isKaseyaBmsHost, KASEYA_BMS_HOSTS } from '../../../lib/psa/kaseya-bms/hosts';
import { classifyKaseyaBmsFormAction, isKaseyaBmsApiHost, kaseyaBmsExamples, kaseyaBmsNearMisses } from '../../../lib/psa/kaseya-bms/page-url';

const detectKaseyaBms = detectorFor('kaseya-bms');
const isKaseyaBmsPage = (url: URL, kind: PageKind) => detectKaseyaBms(url)?.kind === kind;

describe('kaseya bms examples', () => {
  it('cover both UIs, every host and every shape the reference lists', () => {
    expect(kaseyaBmsExamples.length).toBeGreaterThanOrEqual(30);
    const kinds = new Set(kaseyaBmsExamples.map((e) => e.expected.kind));
    for (const kind of ['ticket', 'company', 'other'] as const) expect(kinds, kind).toContain(kind);
    const urls = kaseyaBmsExamples.map((e) => e.url.toLowerCase()).join('\n');
    for (const marker of [
      '/msp/ticketedit.aspx?id=',
      '/react/servicedesk/tickets/',
      '/react/servicedesk/mytickets/',
      '/react/home/views/12/tickets/',
      '/react/home/views/12/mytickets/',
      '/msp/ticketslisting.aspx',
      '/msp/mytickets.aspx',
      '/dashboard/timesheetedit.aspx',
      '/crm/accountedit.aspx',
      '/react/crm/accounts/',
      '/finance/',
      '/administration/',
      '/reports/',
      '/projects/',
      ...KASEYA_BMS_HOSTS.map((host) => `//${host}/`),
    ]) {
      expect(urls, marker).toContain(marker);
    }
  });

  it.each(kaseyaBmsExamples)('$url', ({ url, expected }) => {
    expect(detectPage(url)).toStrictEqual(expected);
    expect(detectKaseyaBms(new URL(url))).toStrictEqual(expected);
  });

  it.each(kaseyaBmsExamples)('NO: $url is nothing else', ({ url, expected }) => {
    const parsed = new URL(url);
    for (const kind of PSA_PAGE_KINDS) {
      expect(isKaseyaBmsPage(parsed, kind), kind).toBe(kind === expected.kind);
    }
    const actual = detectPage(url);
    for (const other of kaseyaBmsExamples) {
      if (other.expected.kind === expected.kind && other.expected.id === expected.id) continue;
      expect(actual).not.toStrictEqual(other.expected);
    }
  });

  it('only gives ids to record kinds, as canonical positive decimals', () => {
    for (const { expected } of kaseyaBmsExamples) {
      if (expected.kind === 'other') expect(expected).not.toHaveProperty('id');
      if (expected.id !== undefined) expect(expected.id).toMatch(/^[1-9]\d*$/);
    }
  });
});

describe('kaseya bms near misses', () => {
  it.each(kaseyaBmsNearMisses)('%s is not a BMS page', (url) => {
    expect(detectPage(url)).toBeNull();
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (parsed !== undefined) expect(detectKaseyaBms(parsed)).toBeNull();
  });
});

describe('kaseya bms hosts', () => {
  it('knows the gateway hosts exactly and rejects their api. hosts', () => {
    for (const host of KASEYA_BMS_HOSTS) {
      expect(isKaseyaBmsHost(host), host).toBe(true);
      expect(isKaseyaBmsHost(host.toUpperCase()), host).toBe(true);
      expect(isKaseyaBmsHost(`api.${host}`), host).toBe(false);
      expect(isKaseyaBmsApiHost(`api.${host}`), host).toBe(true);
      expect(isKaseyaBmsApiHost(host), host).toBe(false);
    }
    expect(isKaseyaBmsHost('kaseya.com')).toBe(false);
    expect(isKaseyaBmsHost('tenant.bms.kaseya.com')).toBe(false);
  });
});

describe('legacy form actions', () => {
  it('name the record the page posts back to', () => {
    expect(classifyKaseyaBmsFormAction('./TicketEdit.aspx?ID=1234567')).toStrictEqual({ kind: 'ticket', id: '1234567' });
    expect(classifyKaseyaBmsFormAction('/MSP/TicketEdit.aspx?id=5&tab=1')).toStrictEqual({ kind: 'ticket', id: '5' });
    expect(classifyKaseyaBmsFormAction('TicketEdit.aspx')).toStrictEqual({ kind: 'ticket' });
    expect(classifyKaseyaBmsFormAction('./AccountEdit.aspx?ID=101234')).toStrictEqual({ kind: 'company', id: '101234' });
    expect(classifyKaseyaBmsFormAction('./TicketEdit.aspx?ID=0')).toStrictEqual({ kind: 'other' });
    for (const action of ['./TicketsListing.aspx', '', '?', 'https://[bad', './constructor', './__proto__?ID=1', './hasOwnProperty']) {
      expect(classifyKaseyaBmsFormAction(action), action).toBeUndefined();
    }
  });
});

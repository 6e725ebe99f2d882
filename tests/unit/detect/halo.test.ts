import { describe, expect, it } from 'vitest';
import { PSA_PAGE_KINDS, type PageKind } from '../../../lib/detect/index';
import { detectorFor, detectPage } from '../../../lib/psa/pages';
import { HALO_DOMAINS, isHaloHost } from '../../../lib/psa/halo/hosts';
import { haloExamples, haloNearMisses } from '../../../lib/psa/halo/page-url';

const detectHalo = detectorFor('halo');
const isHaloPage = (url: URL, kind: PageKind) => detectHalo(url)?.kind === kind;

describe('halo examples', () => {
  it('cover every route the reference lists', () => {
    expect(haloExamples.length).toBeGreaterThanOrEqual(30);
    const kinds = new Set(haloExamples.map((e) => e.expected.kind));
    for (const kind of ['ticket', 'company', 'contact', 'configuration', 'agreement', 'site', 'other'] as const) {
      expect(kinds, kind).toContain(kind);
    }
    const urls = haloExamples.map((e) => e.url.toLowerCase()).join('\n');
    for (const marker of [
      '/tickets?id=',
      'area=',
      'mainview=myviews',
      'viewid=',
      'selid=',
      'sellevel=',
      'showmenu=',
      'selparentid=',
      'showalltickettypes=',
      'id=-1',
      '/tickets?&id=',
      'faultid=',
      '/customers?clientid=',
      'mainview=client&clientid=',
      'mainview=site&siteid=',
      'mainview=user&userid=',
      'hideinternal=',
      'hidegeneral=',
      '/assets?id=',
      '/assets?assetid=',
      '/contracts?',
      '/config/',
      '/kb?id=',
      '/reports?',
      'quoteid=',
      'invoiceid=',
      '/items?',
      '/portal/ticket?id=',
      '/portal/opportunity?id=',
      '/portal/kb?',
      '/portal/home',
      '.halopsa.com/',
      '.haloitsm.com/',
      '.haloservicedesk.com/',
    ]) {
      expect(urls, marker).toContain(marker);
    }
  });

  it.each(haloExamples)('$url', ({ url, expected }) => {
    expect(detectPage(url)).toStrictEqual(expected);
    expect(detectHalo(new URL(url))).toStrictEqual(expected);
  });

  it.each(haloExamples)('NO: $url is nothing else', ({ url, expected }) => {
    const parsed = new URL(url);
    for (const kind of PSA_PAGE_KINDS) {
      expect(isHaloPage(parsed, kind), kind).toBe(kind === expected.kind);
    }
    const actual = detectPage(url);
    for (const other of haloExamples) {
      if (other.expected.kind === expected.kind && other.expected.id === expected.id) continue;
      expect(actual).not.toStrictEqual(other.expected);
    }
  });

  it('only gives ids to record kinds, as canonical positive decimals', () => {
    for (const { expected } of haloExamples) {
      if (expected.kind === 'other') expect(expected).not.toHaveProperty('id');
      if (expected.id !== undefined) expect(expected.id).toMatch(/^[1-9]\d*$/);
    }
  });
});

describe('halo near misses', () => {
  it.each(haloNearMisses)('%s is not a Halo page', (url) => {
    expect(detectPage(url)).toBeNull();
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (parsed !== undefined) expect(detectHalo(parsed)).toBeNull();
  });
});

describe('halo hosts', () => {
  it('accepts tenant subdomains of the three products only', () => {
    for (const domain of HALO_DOMAINS) {
      expect(isHaloHost(`acme.${domain}`), domain).toBe(true);
      expect(isHaloHost(`ACME.${domain.toUpperCase()}`), domain).toBe(true);
      expect(isHaloHost(`eu.acme.${domain}`), domain).toBe(true);
      expect(isHaloHost(domain), domain).toBe(false);
      expect(isHaloHost(`www.${domain}`), domain).toBe(false);
      expect(isHaloHost(`acme.${domain}.evil.com`), domain).toBe(false);
      expect(isHaloHost(`acme${domain}`), domain).toBe(false);
    }
    expect(isHaloHost('usehalo.com')).toBe(false);
  });
});

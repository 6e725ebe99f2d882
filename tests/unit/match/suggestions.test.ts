import { describe, expect, it } from 'vitest';
import type { ClientSpaceRow, IntegrationRow, MatchRow } from '@/lib/db/schema';
import type { CanonicalCompany, PsaKind } from '@/lib/psa/types';
import { CONFIDENCE, createMatcher, suggestMatch, suggestMatches, type MatchContext, type MatchedCompany } from '@/lib/match/company-match';

const integration = (id: string, psa: PsaKind, label = id): IntegrationRow => ({
  id,
  psa,
  label,
  settings: {},
  uiOrigin: `https://${id}`,
  origins: [],
  createdAt: 0,
});
const space = (id: string, name: string): ClientSpaceRow => ({ id, name, createdAt: 0 });
const matched = (integrationId: string, companyRemoteId: string, clientSpaceId: string): MatchRow => ({
  integrationId,
  companyRemoteId,
  state: 'matched',
  clientSpaceId,
  decidedAt: 0,
});
const record = (integrationId: string, remoteId: string, data: Partial<CanonicalCompany> & { name: string }): MatchedCompany => ({
  integrationId,
  remoteId,
  data: { remoteId, types: [], ...data },
});
/** A company of the integration being matched (Halo unless said otherwise). */
const halo = (remoteId: string, data: Partial<CanonicalCompany> & { name: string }, integrationId = 'halo') => record(integrationId, remoteId, data);

const integrations = [
  integration('cw', 'connectwise', 'ConnectWise'),
  integration('cw-old', 'connectwise', 'Old ConnectWise'),
  integration('halo', 'halo', 'HaloPSA'),
];

/** Client spaces made by the ConnectWise integration, one per CW company, with their CW records. */
function fromConnectwise(
  companies: { id: string; space: string; name: string; website?: string; phone?: string }[],
  extra: Partial<MatchContext> = {},
): MatchContext {
  return {
    integrations,
    clientSpaces: companies.map((c) => space(c.space, c.name)),
    matches: companies.map((c) => matched('cw', c.id, c.space)),
    matchedCompanies: companies.map((c) => record('cw', c.id, { name: c.name, website: c.website, phone: c.phone })),
    ...extra,
  };
}

describe('suggestion rules', () => {
  it('psa-id (100): the same PSA id matched through another integration of the same PSA', () => {
    const context = fromConnectwise([{ id: '7', space: 's7', name: 'Adventure Works' }]);
    expect(suggestMatch(halo('7', { name: 'Something else' }, 'cw-old'), context)).toEqual({
      clientSpaceId: 's7',
      reason: 'psa-id',
      confidence: 100,
      detail: 'same PSA id: #7 is matched through ConnectWise',
    });
    // The same id in another PSA is another company.
    expect(suggestMatch(halo('7', { name: 'Something else' }), context)).toBeUndefined();
  });

  it('exact-name (95): case-insensitive, whitespace-collapsed', () => {
    const context = { integrations, matches: [], clientSpaces: [space('n', 'Northwind Dental Group')] };
    expect(suggestMatch(halo('1', { name: '  northwind   DENTAL group ' }), context)).toEqual({
      clientSpaceId: 'n',
      reason: 'exact-name',
      confidence: 95,
      detail: 'exact name: Northwind Dental Group',
    });
  });

  it('normalised-name (85): legal suffixes, punctuation, "&"/"and" and a leading "The"', () => {
    const context = {
      integrations,
      matches: [],
      clientSpaces: [space('n', 'Northwind Dental Group'), space('c', 'Contoso'), space('p', 'City Power and Light'), space('m', "Margie's Travel Pty. Ltd.")],
    };
    const cases: [string, string, string][] = [
      ['Northwind Dental Group, Inc.', 'n', 'northwind dental group'],
      ['The Contoso Co.', 'c', 'contoso'],
      ['Contoso, L.L.C.', 'c', 'contoso'],
      ['CONTOSO LIMITED', 'c', 'contoso'],
      ['Contoso GmbH', 'c', 'contoso'],
      ['Contoso Corporation', 'c', 'contoso'],
      ['Contoso Co., Ltd.', 'c', 'contoso'],
      ['Contoso PLC', 'c', 'contoso'],
      ['City Power & Light', 'p', 'city power and light'],
      ['Margies Travel', 'm', 'margies travel'],
    ];
    for (const [name, clientSpaceId, key] of cases) {
      expect(suggestMatch(halo('1', { name }), context), name).toEqual({
        clientSpaceId,
        reason: 'normalised-name',
        confidence: 85,
        detail: `normalised name: ${key}`,
      });
    }
  });

  it('website (75): same host as another integration’s company matched to the space', () => {
    const context = fromConnectwise([{ id: '2', space: 'c', name: 'Contoso Ltd.', website: 'contoso.com' }]);
    expect(suggestMatch(halo('1', { name: 'Contoso Holdings', website: 'https://www.contoso.com/about' }), context)).toEqual({
      clientSpaceId: 'c',
      reason: 'website',
      confidence: 75,
      detail: 'website: contoso.com (Contoso Ltd. in ConnectWise)',
    });
    expect(suggestMatch(halo('1', { name: 'Contoso Holdings', website: 'HTTP://WWW.Contoso.COM:8080' }), context)?.reason).toBe('website');
    // Another host, a sub-site elsewhere, or no website: nothing.
    expect(suggestMatch(halo('1', { name: 'Contoso Holdings', website: 'https://contoso-pharma.com' }), context)).toBeUndefined();
    expect(suggestMatch(halo('1', { name: 'Contoso Holdings', website: 'n/a' }), context)).toBeUndefined();
  });

  it('phone (60): same digits whatever the formatting, last 10 compared', () => {
    const context = fromConnectwise([{ id: '2', space: 'c', name: 'Contoso Ltd.', phone: '303.555.0100' }]);
    expect(suggestMatch(halo('1', { name: 'CTSO Holdings', phone: '(303) 555-0100' }), context)).toEqual({
      clientSpaceId: 'c',
      reason: 'phone',
      confidence: 60,
      detail: 'phone: 303-555-0100 (Contoso Ltd. in ConnectWise)',
    });
    expect(suggestMatch(halo('1', { name: 'CTSO Holdings', phone: '+1 303 555 0100 ext. 12' }), context)?.reason).toBe('phone');
    expect(suggestMatch(halo('1', { name: 'CTSO Holdings', phone: '(303) 555-0101' }), context)).toBeUndefined();
  });

  it('compares names with other integrations’ companies matched to a space, too', () => {
    // The space kept its first name; the Halo company carries the ConnectWise company's name.
    const context: MatchContext = {
      integrations,
      clientSpaces: [space('s', 'Contoso (HQ)')],
      matches: [matched('cw', '2', 's')],
      matchedCompanies: [record('cw', '2', { name: 'Contoso Pharmaceuticals Ltd.' })],
    };
    expect(suggestMatch(halo('1', { name: 'Contoso Pharmaceuticals' }), context)).toEqual({
      clientSpaceId: 's',
      reason: 'normalised-name',
      confidence: 85,
      detail: 'normalised name: contoso pharmaceuticals (Contoso Pharmaceuticals Ltd. in ConnectWise)',
    });
  });

  it('ignores the integration’s own companies, unmatched rows and removed client spaces', () => {
    const context: MatchContext = {
      integrations,
      clientSpaces: [space('s', 'Unrelated')],
      matches: [matched('halo', '9', 's'), { integrationId: 'cw', companyRemoteId: '3', state: 'unmatched', decidedAt: 0 }, matched('cw', '4', 'gone')],
      matchedCompanies: [
        record('halo', '9', { name: 'Alpha', website: 'alpha.com' }),
        record('cw', '3', { name: 'Alpha', website: 'alpha.com' }),
        record('cw', '4', { name: 'Alpha', website: 'alpha.com' }),
      ],
    };
    expect(suggestMatch(halo('1', { name: 'Alpha', website: 'alpha.com' }), context)).toBeUndefined();
  });
});

describe('ordering and confidence', () => {
  it('gives one suggestion per client space, its strongest rule, strongest first', () => {
    const context: MatchContext = {
      integrations,
      clientSpaces: [space('a', 'Contoso'), space('b', 'Contoso Ltd'), space('c', 'Fabrikam'), space('d', 'Litware')],
      matches: [matched('cw', '1', 'c'), matched('cw', '2', 'd'), matched('cw', '5', 'b')],
      matchedCompanies: [
        record('cw', '1', { name: 'Fabrikam', website: 'www.contoso.com' }),
        record('cw', '2', { name: 'Litware', phone: '303 555 0100' }),
        record('cw', '5', { name: 'Contoso Ltd', website: 'contoso.com', phone: '3035550100' }),
      ],
    };
    const suggestions = suggestMatches(halo('1', { name: 'Contoso Ltd', website: 'contoso.com', phone: '303-555-0100' }), context);
    expect(suggestions.map((s) => [s.clientSpaceId, s.reason, s.confidence])).toEqual([
      ['b', 'exact-name', 95],
      ['a', 'normalised-name', 85],
      ['c', 'website', 75],
      ['d', 'phone', 60],
    ]);
  });

  it('a PSA-id match beats a name match', () => {
    const context: MatchContext = {
      integrations,
      clientSpaces: [space('by-name', 'Contoso'), space('by-id', 'Contoso Holdings')],
      matches: [matched('cw-old', '2', 'by-id')],
    };
    const suggestions = suggestMatches(record('cw', '2', { name: 'Contoso' }), context);
    expect(suggestions.map((s) => [s.clientSpaceId, s.reason, s.confidence])).toEqual([
      ['by-id', 'psa-id', 100],
      ['by-name', 'exact-name', 95],
    ]);
    expect(suggestMatch(record('cw', '2', { name: 'Contoso' }), context)?.clientSpaceId).toBe('by-id');
  });

  it('confidences are ordered as the issue says', () => {
    expect(CONFIDENCE).toEqual({ 'psa-id': 100, 'exact-name': 95, 'normalised-name': 85, website: 75, phone: 60 });
  });

  it('suggests nothing when nothing matches, and never "Contoso" for "Contoso Pharma"', () => {
    const context = fromConnectwise([{ id: '2', space: 'c', name: 'Contoso', website: 'contoso.com', phone: '303 555 0100' }]);
    expect(suggestMatch(halo('1', { name: 'Fabrikam' }), context)).toBeUndefined();
    expect(suggestMatch(halo('1', { name: 'Contoso Pharma', website: 'contosopharma.com', phone: '720 555 0199' }), context)).toBeUndefined();
    expect(suggestMatch(halo('1', { name: 'Contoso Pharma Inc.' }), { ...context, clientSpaces: [space('c', 'Contoso Inc.')] })).toBeUndefined();
    expect(suggestMatch(halo('1', { name: 'Contoso' }), { integrations, matches: [], clientSpaces: [] })).toBeUndefined();
  });

  it('a matcher built once answers for many companies, like suggestMatch', () => {
    const context = fromConnectwise([
      { id: '1', space: 'n', name: 'Northwind Dental Group', website: 'www.northwinddental.example.com' },
      { id: '2', space: 'c', name: 'Contoso Ltd.' },
    ]);
    const suggest = createMatcher(context);
    const companies = [
      halo('10', { name: 'Northwind Dental Group' }),
      halo('11', { name: 'The Contoso Co.' }),
      halo('12', { name: 'NW Dental', website: 'https://www.northwinddental.example.com' }),
      halo('13', { name: 'Acorn Construction' }),
    ];
    expect(companies.map((c) => suggest(c)[0]?.confidence)).toEqual([95, 85, 75, undefined]);
    expect(companies.map((c) => suggestMatch(c, context)?.confidence)).toEqual([95, 85, 75, undefined]);
  });
});

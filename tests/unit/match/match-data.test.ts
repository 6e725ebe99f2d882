import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type IntegrationRow } from '@/lib/db/schema';
import type { PsaKind } from '@/lib/psa/types';
import { applyMatches, createMatcher } from '@/lib/match/company-match';
import { matchingContextData } from '@/lib/match/match-data';

let db: SidecarDb;
const integration = (id: string, psa: PsaKind, label: string): IntegrationRow => ({
  id,
  psa,
  label,
  settings: {},
  uiOrigin: `https://${id}`,
  origins: [],
  createdAt: 0,
});
const company = (integrationId: string, remoteId: string, name: string, extra: { website?: string; phone?: string } = {}) => ({
  integrationId,
  entity: 'company' as const,
  remoteId,
  companyRemoteId: remoteId,
  data: { remoteId, name, types: [], ...extra },
  sortName: name.toLowerCase(),
  syncedAt: 0,
});

beforeEach(async () => {
  db = new SidecarDb(`match-data-${Math.random()}`);
  await db.integrations.bulkAdd([integration('cw', 'connectwise', 'ConnectWise'), integration('halo', 'halo', 'HaloPSA')]);
  await db.records.bulkAdd([
    company('cw', '1', 'Contoso Ltd.', { website: 'www.contoso.com', phone: '303.555.0100' }),
    company('cw', '2', 'Fabrikam Manufacturing', { website: 'fabrikam.com' }),
    company('cw', '3', 'Litware Inc.'),
    company('halo', '11', 'The Contoso Co.'),
    company('halo', '12', 'Fabrikam Holdings', { website: 'https://www.fabrikam.com/' }),
    company('halo', '13', 'LW', { phone: '(303) 555-0100' }),
    company('halo', '14', 'Acorn Construction'),
  ]);
});
afterEach(async () => {
  await db.delete();
});

describe('matchingContextData', () => {
  it('adds the other integrations’ matched company records, and they feed the suggestions', async () => {
    await applyMatches(db, 'cw', [
      { companyRemoteId: '1', action: 'create' },
      { companyRemoteId: '2', action: 'create' },
      { companyRemoteId: '3', action: 'unmatched' },
    ]);
    const data = await matchingContextData(db, 'halo');
    expect(data.companies.map((c) => c.remoteId).sort()).toEqual(['11', '12', '13', '14']);
    expect(data.matchedCompanies.map((c) => [c.integrationId, c.remoteId]).sort()).toEqual([
      ['cw', '1'],
      ['cw', '2'],
    ]);

    const suggest = createMatcher(data);
    const spaceOf = new Map(data.clientSpaces.map((space) => [space.name, space.id]));
    const best = (remoteId: string) => suggest({ ...data.companies.find((c) => c.remoteId === remoteId)!, integrationId: 'halo' })[0];
    expect(best('11')).toMatchObject({ clientSpaceId: spaceOf.get('Contoso Ltd.'), reason: 'normalised-name', confidence: 85 });
    expect(best('12')).toMatchObject({ clientSpaceId: spaceOf.get('Fabrikam Manufacturing'), reason: 'website', confidence: 75 });
    expect(best('13')).toMatchObject({ clientSpaceId: spaceOf.get('Contoso Ltd.'), reason: 'phone', confidence: 60 });
    expect(best('14')).toBeUndefined();
  });

  it('leaves out the integration’s own matches', async () => {
    await applyMatches(db, 'halo', [{ companyRemoteId: '14', action: 'create' }]);
    expect((await matchingContextData(db, 'halo')).matchedCompanies).toEqual([]);
    expect((await matchingContextData(db, 'cw')).matchedCompanies.map((c) => c.remoteId)).toEqual(['14']);
  });
});

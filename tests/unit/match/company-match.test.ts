import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type IntegrationRow } from '@/lib/db/schema';
import { applyMatches, suggestMatch } from '@/lib/match/company-match';

let db: SidecarDb;
const integration = (id: string): IntegrationRow => ({ id, psa: 'connectwise', label: id, settings: {}, uiOrigin: `https://${id}`, origins: [], createdAt: 0 });
const company = (remoteId: string, name: string) => ({
  integrationId: 'cw',
  entity: 'company' as const,
  remoteId,
  companyRemoteId: remoteId,
  data: { remoteId, name, types: [] },
  sortName: name.toLowerCase(),
  syncedAt: 0,
});

beforeEach(async () => {
  db = new SidecarDb(`match-${Math.random()}`);
  await db.integrations.bulkAdd([integration('cw'), integration('cw-old')]);
  await db.records.bulkAdd([company('1', 'Northwind Dental'), company('2', 'Contoso'), company('3', 'Fabrikam')]);
});
afterEach(async () => {
  await db.delete();
});

describe('suggestMatch (kept behaviour)', () => {
  it('prefers the same PSA id matched through another integration of that PSA, then an exact name', () => {
    const context = {
      integrations: [integration('cw'), integration('cw-old')],
      clientSpaces: [
        { id: 'a', name: '  northwind   DENTAL ', createdAt: 0 },
        { id: 'b', name: 'Contoso Holdings', createdAt: 0 },
      ],
      matches: [{ integrationId: 'cw-old', companyRemoteId: '2', state: 'matched' as const, clientSpaceId: 'b', decidedAt: 0 }],
    };
    expect(suggestMatch({ ...company('1', 'Northwind Dental') }, context)).toMatchObject({ clientSpaceId: 'a', reason: 'exact-name', confidence: 95 });
    expect(suggestMatch({ ...company('2', 'Contoso') }, context)).toMatchObject({ clientSpaceId: 'b', reason: 'psa-id', confidence: 100 });
    expect(suggestMatch({ ...company('3', 'Fabrikam') }, context)).toBeUndefined();
  });
});

describe('applyMatches', () => {
  it('creates, matches and leaves unmatched in one go', async () => {
    await db.clientSpaces.add({ id: 'existing', name: 'Contoso', createdAt: 0 });
    const result = await applyMatches(db, 'cw', [
      { companyRemoteId: '1', action: 'create' },
      { companyRemoteId: '2', action: 'match', clientSpaceId: 'existing' },
      { companyRemoteId: '3', action: 'unmatched' },
    ]);
    expect(result).toEqual({ matched: 1, created: 1, unmatched: 1 });
    const created = (await db.matches.get(['cw', '1']))!;
    expect(await db.clientSpaces.get(created.clientSpaceId!)).toMatchObject({ name: 'Northwind Dental' });
    expect(await db.matches.get(['cw', '2'])).toMatchObject({ state: 'matched', clientSpaceId: 'existing' });
    expect(await db.matches.get(['cw', '3'])).toMatchObject({ state: 'unmatched' });
  });

  it('writes nothing when one decision is invalid', async () => {
    await expect(
      applyMatches(db, 'cw', [
        { companyRemoteId: '1', action: 'create' },
        { companyRemoteId: '2', action: 'match', clientSpaceId: 'missing' },
      ]),
    ).rejects.toThrow(/no longer exists/);
    await expect(applyMatches(db, 'cw', [{ companyRemoteId: '99', action: 'create' }])).rejects.toThrow(/not in the last sync/);
    expect(await db.clientSpaces.count()).toBe(0);
    expect(await db.matches.count()).toBe(0);
  });
});

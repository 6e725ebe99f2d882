import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type RecordRow } from '@/lib/db/schema';
import { matchFromOverlay, overlayMatchOffer } from '@/lib/match/overlay-match';

let db: SidecarDb;
const company = (remoteId: string, name: string, extra: Partial<RecordRow> = {}): RecordRow => ({
  integrationId: 'cw',
  entity: 'company',
  remoteId,
  companyRemoteId: remoteId,
  data: { remoteId, name, types: [] },
  sortName: name.toLowerCase(),
  syncedAt: 0,
  ...extra,
});

beforeEach(async () => {
  db = new SidecarDb(`overlay-match-${Math.random()}`);
  await db.integrations.add({ id: 'cw', psa: 'connectwise', label: 'CW', settings: {}, uiOrigin: 'https://cw.example', origins: [], createdAt: 0 });
  await db.records.bulkAdd([
    company('1', 'Northwind Dental Group, Inc.'),
    company('2', 'Brand New Client'),
    company('3', 'Gone Co', { archivedAt: 1, archivedReason: 'inactive' }),
    company('4', 'Already Matched'),
  ]);
  await db.clientSpaces.bulkAdd([
    { id: 'space-nw', name: 'Northwind Dental Group', createdAt: 0 },
    { id: 'space-am', name: 'Already Matched', createdAt: 0 },
  ]);
  await db.matches.add({ integrationId: 'cw', companyRemoteId: '4', state: 'matched', clientSpaceId: 'space-am', decidedAt: 0 });
});
afterEach(() => db.delete());

describe('one-click match from the overlay', () => {
  it('offers and applies the best suggestion at or above the threshold', async () => {
    expect(await overlayMatchOffer(db, 'cw', '1')).toEqual({
      clientSpaceName: 'Northwind Dental Group',
      confidence: 85,
      detail: expect.stringMatching(/normalised name/),
    });
    expect(await matchFromOverlay(db, 'cw', '1')).toEqual({ clientSpaceName: 'Northwind Dental Group', created: false });
    expect(await db.matches.get(['cw', '1'])).toMatchObject({ state: 'matched', clientSpaceId: 'space-nw' });
  });

  it('creates a client space named after the company when nothing is close', async () => {
    expect(await overlayMatchOffer(db, 'cw', '2')).toEqual({});
    expect(await matchFromOverlay(db, 'cw', '2')).toEqual({ clientSpaceName: 'Brand New Client', created: true });
    const match = await db.matches.get(['cw', '2']);
    expect((await db.clientSpaces.get(match!.clientSpaceId!))?.name).toBe('Brand New Client');
  });

  it('refuses an archived company and one matched already, writing nothing', async () => {
    await expect(matchFromOverlay(db, 'cw', '3')).rejects.toThrow(/not among the synced, live companies/);
    await expect(matchFromOverlay(db, 'cw', '4')).rejects.toThrow(/matched already/);
    expect(await db.clientSpaces.count()).toBe(2);
    expect(await db.matches.count()).toBe(1);
  });
});

import Dexie, { liveQuery } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { recordsStamp } from '@/lib/db/record-stamps';
import type { EntityKind } from '@/lib/psa/types';
import { recordRow } from '../../support/record-rows';

/**
 * lib/db/record-changes.ts (#17): every write to records raises its integration's and entity's
 * version in the same transaction, whoever writes and however, so a UI query can read records
 * again only when its own change.
 */

const row = recordRow;
const rows = (integrationId: string, entity: EntityKind, count: number) =>
  Array.from({ length: count }, (_, index) => row(integrationId, entity, String(index + 1)));

let db: SidecarDb;
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});
const open = () => (db = new SidecarDb(`record-changes-${Math.random()}`));
const versions = async () =>
  Object.fromEntries((await db.recordChanges.toArray()).map((change) => [`${change.integrationId}/${change.entity}`, change.version]));

describe('record change versions', () => {
  it('raises the version of each integration and entity a write touches, large batches included', async () => {
    open();
    // 50 rows or more: Dexie itself then marks the whole table changed.
    await db.records.bulkPut(rows('cw', 'contact', 120));
    await db.records.put(row('cw', 'company', '1'));
    await db.records.bulkPut([row('halo', 'site', '1'), row('cw', 'contact', '500')]);
    expect(await versions()).toEqual({ 'cw/company': 1, 'cw/contact': 2, 'halo/site': 1 });
  });

  it('raises nothing for a write of no rows (a page whose records are all unchanged)', async () => {
    open();
    await db.records.bulkPut(rows('cw', 'company', 2));
    const before = await versions();
    // A resync page that changed nothing writes an empty batch: no reader's records moved (#17:
    // counted as "unknown", it had the options page re-read its companies on every page).
    await db.records.bulkPut([]);
    await db.records.bulkAdd([]);
    await db.records.bulkDelete([]);
    await db.records
      .where('[integrationId+entity+remoteId]')
      .between(['cw', 'contact', Dexie.minKey], ['cw', 'contact', Dexie.maxKey])
      .modify({ archivedAt: 5 });
    expect(await versions()).toEqual(before);
  });

  it('counts updates by modify, deletes by key and deletes by range', async () => {
    open();
    await db.records.bulkPut([...rows('cw', 'contact', 60), ...rows('cw', 'company', 3), ...rows('halo', 'company', 2)]);
    await db.records
      .where('[integrationId+entity+remoteId]')
      .between(['cw', 'contact', Dexie.minKey], ['cw', 'contact', Dexie.maxKey])
      .modify({ archivedAt: 5 });
    await db.records.delete(['cw', 'company', '2']);
    expect(await versions()).toEqual({ 'cw/company': 2, 'cw/contact': 2, 'halo/company': 1 });
    // Removing an integration deletes each entity's range; a range over all of them counts for every entity.
    await db.records.where('[integrationId+entity+remoteId]').between(['halo', 'company', Dexie.minKey], ['halo', 'company', Dexie.maxKey]).delete();
    expect((await versions())['halo/company']).toBe(2);
    await db.records.where('[integrationId+entity+remoteId]').between(['halo'], ['halo', []]).delete();
    expect((await versions())['halo/*']).toBe(1);
    await db.records.clear();
    expect((await versions())['*/*']).toBe(1);
  });

  it('is written with the records or not at all', async () => {
    open();
    await db.records.put(row('cw', 'company', '1'));
    await expect(
      db.transaction('rw', db.records, async () => {
        await db.records.bulkPut(rows('cw', 'contact', 80));
        throw new Error('the page failed');
      }),
    ).rejects.toThrow('the page failed');
    expect(await versions()).toEqual({ 'cw/company': 1 });
    expect(await db.records.count()).toBe(1);
  });

  it('gives each reader a stamp that moves only with its scope', async () => {
    open();
    await db.records.bulkPut([row('cw', 'company', '1'), row('halo', 'company', '1')]);
    const companies = await recordsStamp(db, { entities: ['company'] });
    const cwContacts = await recordsStamp(db, { integrationId: 'cw', entities: ['contact'] });
    await db.records.bulkPut(rows('cw', 'contact', 100));
    expect(await recordsStamp(db, { entities: ['company'] })).toBe(companies);
    expect(await recordsStamp(db, { integrationId: 'cw', entities: ['contact'] })).not.toBe(cwContacts);
    const halo = await recordsStamp(db, { integrationId: 'halo' });
    await db.records.bulkPut(rows('cw', 'site', 3));
    expect(await recordsStamp(db, { integrationId: 'halo' })).toBe(halo);
    // A write of unknown scope moves every stamp.
    await db.records.clear();
    expect(await recordsStamp(db, { integrationId: 'halo' })).not.toBe(halo);
    expect(await recordsStamp(db, { entities: ['company'] })).not.toBe(companies);
  });

  it('wakes a live query of the versions only when its records change', async () => {
    open();
    await db.records.put(row('cw', 'company', '1'));
    const seen: string[] = [];
    const subscription = liveQuery(() => recordsStamp(db, { integrationId: 'cw', entities: ['company'] })).subscribe((stamp) => seen.push(stamp));
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    await settle();
    await db.records.bulkPut(rows('cw', 'contact', 200));
    await settle();
    await db.records.put(row('cw', 'company', '2'));
    await settle();
    subscription.unsubscribe();
    // The live query re-runs on every version write, but its value moves only with companies.
    expect([...new Set(seen)]).toEqual(['cw/company:1', 'cw/company:2']);
  });
});

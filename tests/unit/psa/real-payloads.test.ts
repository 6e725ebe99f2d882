import { describe, expect, it } from 'vitest';
import type { RecordRow } from '@/lib/db/schema';
import { toItem, withMainSiteAddress } from '@/lib/items/to-item';
import { toCompany, toContact, toSite } from '@/lib/psa/halo/normalize';
import { haloClientSchema, haloSiteSchema, haloUserSchema } from '@/lib/psa/halo/schemas';
import type { CanonicalRecord, EntityKind } from '@/lib/psa/types';

/**
 * What real HaloPSA servers send (#16, "What real servers send"): a client record names its main
 * site (`main_site_id`) and has no address of its own; full records carry Halo's last-update
 * columns; a full site carries its delivery address as an object. Payloads of those shapes, run
 * through the adapter's own schemas and normalizers. (ConnectWise's nulls and Kaseya BMS's
 * envelope are in their adapters' tests, against the emulators.)
 */

describe('HaloPSA records as real servers send them', () => {
  it('a client with only `main_site_id` and `alastupdate`: its main site is named, its change time read', () => {
    const client = haloClientSchema.parse({
      id: 42,
      name: 'Acorn Construction',
      inactive: false,
      toplevel_id: 1,
      toplevel_name: 'Managed Clients',
      main_site_id: 77,
      alastupdate: '2026-10-03T09:15:00.123',
      customfields: [],
    });
    expect(toCompany(client)).toMatchObject({ remoteId: '42', mainSiteRemoteId: '77', updatedAt: '2026-10-03T09:15:00.123Z' });
    expect(toCompany(client).address).toBeUndefined();
  });

  it('a full site’s `delivery_address` object is its address; `slastupdate` its change time', () => {
    const site = haloSiteSchema.parse({
      id: 77,
      name: 'Head Office',
      client_id: 42.0,
      delivery_address: { id: 5, line1: '1 Acorn Way', line2: 'Leeds', line3: null, line4: '', postcode: 'LS1 4AP', primary: true },
      slastupdate: '2026-09-30T17:00:00',
      customfields: [],
    });
    expect(toSite(site)).toMatchObject({
      remoteId: '77',
      companyRemoteId: '42',
      address: '1 Acorn Way, Leeds, LS1 4AP',
      updatedAt: '2026-09-30T17:00:00.000Z',
    });
    // The list's address lines, when sent, come first; a malformed address object reads as absent.
    const listed = haloSiteSchema.parse({ id: 78, name: 'Yard', client_id: 42, delivery_address_line1: '9 Dock St', delivery_address: 'not an object' });
    expect(toSite(listed).address).toBe('9 Dock St');
  });

  it('a user’s `ulastupdate` is its change time; Halo’s empty date is none', () => {
    const user = haloUserSchema.parse({ id: 9, name: 'Ben Castle', client_id: 42, ulastupdate: '2026-08-01T06:30:00' });
    expect(toContact(user).updatedAt).toBe('2026-08-01T06:30:00.000Z');
    expect(toContact(haloUserSchema.parse({ id: 10, name: 'New User', client_id: 42, ulastupdate: '1900-01-01T00:00:00' })).updatedAt).toBeUndefined();
  });
});

describe('a company’s address where its PSA keeps it on a site', () => {
  const row = (entity: EntityKind, data: Record<string, unknown>): RecordRow => ({
    integrationId: 'halo',
    entity,
    remoteId: String(data.remoteId),
    companyRemoteId: '42',
    data: data as unknown as CanonicalRecord,
    sortName: String(data.name).toLowerCase(),
    syncedAt: 1,
  });
  const company = row('company', { remoteId: '42', name: 'Acorn Construction', types: [], mainSiteRemoteId: '77' });
  const sites = [
    row('site', { remoteId: '70', companyRemoteId: '42', name: 'Yard', address: '9 Dock St', primary: true }),
    row('site', { remoteId: '77', companyRemoteId: '42', name: 'Head Office', address: '1 Acorn Way, Leeds' }),
  ];
  const address = (item: ReturnType<typeof toItem>) => item.fields.find((field) => field.label === 'Address')?.value;

  it('shows the main site’s address, else the primary site’s, and never over the company’s own', () => {
    expect(address(withMainSiteAddress(toItem(company, undefined), company, sites))).toBe('1 Acorn Way, Leeds');
    const noMain = row('company', { remoteId: '42', name: 'Acorn Construction', types: [] });
    expect(address(withMainSiteAddress(toItem(noMain, undefined), noMain, sites))).toBe('9 Dock St');
    const own = row('company', { remoteId: '42', name: 'Acorn Construction', types: [], address: '5 Own Rd', mainSiteRemoteId: '77' });
    expect(address(withMainSiteAddress(toItem(own, undefined), own, sites))).toBe('5 Own Rd');
    expect(address(withMainSiteAddress(toItem(noMain, undefined), noMain, []))).toBeUndefined();
  });
});

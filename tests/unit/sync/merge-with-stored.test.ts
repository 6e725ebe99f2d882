import { describe, expect, it } from 'vitest';
import type { CanonicalCompany } from '@/lib/psa/types';
import { effectiveOptions, mergeWithStored } from '@/lib/sync/options';

/** What a sync writes over a stored company when its list row cannot carry every field. */
const stored: CanonicalCompany = { remoteId: '12', name: 'Acorn', types: [], website: 'https://acorn.example.com', unlistedFields: ['website'] };
const listRow: CanonicalCompany = { remoteId: '12', name: 'Acorn Construction', types: [], unlistedFields: ['website'] };
const merge = (incoming: CanonicalCompany, fromFullRecord = false, keepCompanyDetails = false) =>
  mergeWithStored('company', incoming, stored, { ...effectiveOptions(undefined), keepCompanyDetails }, fromFullRecord) as CanonicalCompany;

describe('mergeWithStored: fields a list row cannot carry', () => {
  it('a list row without them keeps the stored value and takes the rest', () => {
    expect(merge(listRow)).toEqual({ ...listRow, website: 'https://acorn.example.com' });
  });

  it('a list row that does carry the field wins, and a row that lacks nothing keeps nothing', () => {
    expect(merge({ ...listRow, website: 'https://new.example.com' }).website).toBe('https://new.example.com');
    const { unlistedFields: _lacking, ...complete } = listRow;
    expect(merge(complete)).not.toHaveProperty('website');
  });

  it('the full record’s reading sets the field, or clears it', () => {
    expect(merge({ ...listRow }, true)).not.toHaveProperty('website');
    expect(merge({ ...listRow, website: 'https://new.example.com' }, true).website).toBe('https://new.example.com');
  });

  it('“keep company details” still keeps the user’s stored details over either', () => {
    expect(merge({ ...listRow, website: 'https://new.example.com' }, true, true)).toMatchObject({ name: 'Acorn', website: 'https://acorn.example.com' });
  });
});

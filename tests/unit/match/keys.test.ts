import { describe, expect, it } from 'vitest';
import { exactNameKey, formatPhoneKey, normalisedNameKey, phoneKey, websiteKey } from '@/lib/match/keys';

describe('exactNameKey', () => {
  it('lower-cases and collapses whitespace only', () => {
    expect(exactNameKey('  Northwind   Dental\tGroup ')).toBe('northwind dental group');
    expect(exactNameKey('Contoso, Inc.')).toBe('contoso, inc.');
    expect(exactNameKey('   ')).toBeUndefined();
    expect(exactNameKey(undefined)).toBeUndefined();
  });
});

describe('normalisedNameKey', () => {
  it.each([
    ['Northwind Dental Group, Inc.', 'northwind dental group'],
    ['The Contoso Co.', 'contoso'],
    ['Contoso L.L.C.', 'contoso'],
    ['Contoso, LLC', 'contoso'],
    ['Contoso Ltd', 'contoso'],
    ['Contoso Limited', 'contoso'],
    ['Contoso Corp.', 'contoso'],
    ['Contoso Pty Ltd', 'contoso'],
    ['Contoso Pty. Ltd.', 'contoso'],
    ['Contoso GmbH', 'contoso'],
    ['Contoso PLC', 'contoso'],
    ['Contoso Co., Ltd.', 'contoso'],
    ['Smith & Co.', 'smith'],
    ['City Power & Light', 'city power and light'],
    ['City Power and Light', 'city power and light'],
    ["Margie's Travel", 'margies travel'],
    ['A. Datum Corporation', 'a datum'],
    ['Tri-County Realty', 'tri county realty'],
    ['Café Zürich AG', 'cafe zurich'],
  ])('%s -> %s', (name, key) => {
    expect(normalisedNameKey(name)).toBe(key);
  });

  it('keeps names that are only a suffix or "The", and keeps distinctive words', () => {
    expect(normalisedNameKey('The Company')).toBe('company');
    expect(normalisedNameKey('Inc.')).toBe('inc');
    expect(normalisedNameKey('The')).toBe('the');
    expect(normalisedNameKey('Contoso Pharma')).toBe('contoso pharma');
    expect(normalisedNameKey('Theta Systems')).toBe('theta systems');
    expect(normalisedNameKey('...')).toBeUndefined();
  });
});

describe('websiteKey', () => {
  it.each([
    ['https://www.contoso.com/about', 'contoso.com'],
    ['contoso.com', 'contoso.com'],
    ['HTTP://WWW.CONTOSO.COM', 'contoso.com'],
    ['www.contoso.com', 'contoso.com'],
    ['https://contoso.com:8443/path?q=1#x', 'contoso.com'],
    ['https://user@shop.contoso.com.', 'shop.contoso.com'],
    ['//www2.contoso.com', 'contoso.com'],
    ['www.northwinddental.example.com', 'northwinddental.example.com'],
  ])('%s -> %s', (website, key) => {
    expect(websiteKey(website)).toBe(key);
  });

  it('is undefined for anything that is not a host', () => {
    for (const website of ['', 'n/a', 'none', 'localhost', 'http://', 'contoso com']) expect(websiteKey(website), website).toBeUndefined();
    expect(websiteKey(undefined)).toBeUndefined();
  });
});

describe('phoneKey', () => {
  it.each([
    ['(303) 555-0100', '3035550100'],
    ['303.555.0100', '3035550100'],
    ['+1 303 555 0100', '3035550100'],
    ['1-303-555-0100', '3035550100'],
    ['303-555-0100 x204', '3035550100'],
    ['303 555 0100 ext. 12', '3035550100'],
    ['+44 20 7946 0958', '2079460958'],
    ['555-0100', '5550100'],
  ])('%s -> %s', (phone, key) => {
    expect(phoneKey(phone)).toBe(key);
  });

  it('is undefined for too few digits or zeros', () => {
    for (const phone of ['', 'n/a', '12345', '000-000-0000']) expect(phoneKey(phone), phone).toBeUndefined();
  });

  it('formats ten digits for people', () => {
    expect(formatPhoneKey('3035550100')).toBe('303-555-0100');
    expect(formatPhoneKey('5550100')).toBe('5550100');
  });
});

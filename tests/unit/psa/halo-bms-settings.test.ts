import { describe, expect, it } from 'vitest';
import { haloForm } from '@/lib/psa/halo/form';
import { kaseyaBmsForm } from '@/lib/psa/kaseya-bms/form';
import { camelKey, camelKeys } from '@/lib/psa/kaseya-bms/wire';
import { haloDate } from '@/lib/psa/halo/normalize';

describe('HaloPSA form', () => {
  const base = { resourceServer: 'https://acme.halopsa.com', tenant: 'acme', clientId: 'id', clientSecret: 'secret', authServer: '' };
  it.each([
    ['https://acme.halopsa.com', 'https://acme.halopsa.com', false],
    ['https://acme.halopsa.com/', 'https://acme.halopsa.com', false],
    ['https://acme.halopsa.com/api', 'https://acme.halopsa.com', true],
    ['acme.halopsa.com', 'https://acme.halopsa.com', false],
    ['http://127.0.0.1:8080/api/', 'http://127.0.0.1:8080', true],
  ])('normalises the resource server %s', (input, origin, noted) => {
    const result = haloForm.parse({ ...base, resourceServer: input });
    expect(result.ok && result.value.uiOrigin).toBe(origin);
    expect(result.ok && !!result.value.note).toBe(noted);
  });

  it('asks for the override auth server origin too, and reports every bad field', () => {
    const withAuth = haloForm.origins({ ...base, authServer: 'https://login.example.com/auth/' });
    expect(withAuth).toEqual({ ok: true, uiOrigin: 'https://acme.halopsa.com', origins: ['https://acme.halopsa.com', 'https://login.example.com'] });
    const bad = haloForm.parse({ resourceServer: 'ftp://x', tenant: 'a b', clientId: '', clientSecret: ' ', authServer: '' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual(['clientId', 'clientSecret', 'resourceServer', 'tenant']);
  });

  it('a typed authorisation server is granted with the integration: the page asks for its origin and the save checks it', () => {
    const typed = { ...base, authServer: 'login.example.com/oauth' };
    const parsed = haloForm.parse(typed);
    expect(parsed.ok && parsed.value.settings.authServer).toBe('https://login.example.com/oauth');
    expect(parsed.ok && parsed.value.origins).toEqual(['https://acme.halopsa.com', 'https://login.example.com']);
    expect(haloForm.origins(typed)).toMatchObject({ origins: parsed.ok ? parsed.value.origins : [] });
    // Where credentials go: a change of the authorisation server asks for them again (lib/integrations/service.ts).
    expect(haloForm.serverSettings).toEqual(['authServer']);
  });

  it('reads Halo dates as UTC and drops the 1900 "empty" date', () => {
    expect(haloDate('2026-05-13T18:01:50.347')).toBe('2026-05-13T18:01:50.347Z');
    expect(haloDate('2022-09-30T08:23:56.4214387Z')).toBe('2022-09-30T08:23:56.421Z');
    expect(haloDate('1900-01-01T00:00:00')).toBeUndefined();
    expect(haloDate('0001-01-01T00:00:00')).toBeUndefined();
    expect(haloDate('')).toBeUndefined();
  });
});

describe('Kaseya BMS form', () => {
  const base = { region: 'bms.kaseya.com', customDomain: '', tenant: 'Superior Managed IT Services LLC', username: 'api.user', password: 'p w', apiUrl: '' };
  it('derives the API host from the server, keeps spaces in the tenant and password', () => {
    const result = kaseyaBmsForm.parse(base);
    expect(result).toMatchObject({
      ok: true,
      value: {
        uiOrigin: 'https://bms.kaseya.com',
        origins: ['https://bms.kaseya.com', 'https://api.bms.kaseya.com'],
        settings: { tenant: 'Superior Managed IT Services LLC', apiOrigin: 'https://api.bms.kaseya.com' },
        credentials: { username: 'api.user', password: 'p w' },
      },
    });
  });
  it('supports Pulseway, custom domains, an API override and loopback test servers', () => {
    expect(kaseyaBmsForm.origins({ ...base, region: 'psa.pulseway.com' })).toMatchObject({
      origins: ['https://psa.pulseway.com', 'https://api.psa.pulseway.com'],
    });
    expect(kaseyaBmsForm.origins({ ...base, region: 'custom', customDomain: 'https://psa.example.com/' })).toMatchObject({
      uiOrigin: 'https://psa.example.com',
    });
    expect(kaseyaBmsForm.origins({ ...base, region: 'custom', customDomain: 'http://127.0.0.1:9000' })).toMatchObject({ origins: ['http://127.0.0.1:9000'] });
    expect(kaseyaBmsForm.origins({ ...base, apiUrl: 'https://bms-api.example.com' })).toMatchObject({
      origins: ['https://bms.kaseya.com', 'https://bms-api.example.com'],
    });
    const bad = kaseyaBmsForm.parse({ ...base, region: 'custom', customDomain: '', tenant: ' ', username: 'a b', password: '' });
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual(['customDomain', 'password', 'tenant', 'username']);
  });
  it('prefills an edit form from saved settings', () => {
    const parsed = kaseyaBmsForm.parse({ ...base, region: 'custom', customDomain: 'psa.example.com' });
    expect(parsed.ok && kaseyaBmsForm.prefill(parsed.value.settings)).toEqual({
      region: 'custom',
      customDomain: 'https://psa.example.com',
      tenant: base.tenant,
      apiUrl: '',
    });
  });
  it('converts PascalCase wire names the .NET way', () => {
    expect(['AccessToken', 'SLAName', 'SLAId', 'IPAddress', 'Id', 'id', 'VSAAssetId', 'URL'].map(camelKey)).toEqual([
      'accessToken',
      'slaName',
      'slaId',
      'ipAddress',
      'id',
      'id',
      'vsaAssetId',
      'url',
    ]);
    expect(camelKeys({ Success: true, Result: [{ AccountName: 'A', Locations: [{ IsMain: true }] }] })).toEqual({
      success: true,
      result: [{ accountName: 'A', locations: [{ isMain: true }] }],
    });
  });
});

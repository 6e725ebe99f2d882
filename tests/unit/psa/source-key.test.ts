import { describe, expect, it } from 'vitest';
import { PSA_DESCRIPTORS } from '@/lib/psa/all';
import type { PsaKind } from '@/lib/psa/kinds';

/** What documentation about a PSA record will be keyed by when the team shares it (docs/design/documentation-store.md §2). */
const descriptor = (kind: PsaKind) => PSA_DESCRIPTORS.find((each) => each.kind === kind)!;

describe('a PSA tenant’s source key', () => {
  it('names the tenant, whatever the case it was typed in, and tells tenants on one host apart', () => {
    const cw = descriptor('connectwise');
    const acme = cw.sourceKeyFor({ host: 'na.myconnectwise.net', scheme: 'https', companyId: 'Acme' });
    expect(acme).toBe('connectwise:na.myconnectwise.net:acme');
    expect(cw.sourceKeyFor({ host: 'NA.myconnectwise.net', scheme: 'https', companyId: 'ACME', codebase: 'v2025_1/' })).toBe(acme);
    expect(cw.sourceKeyFor({ host: 'na.myconnectwise.net', scheme: 'https', companyId: 'Other' })).not.toBe(acme);

    const bms = descriptor('kaseya-bms');
    const settings = { uiOrigin: 'https://bms.kaseya.com', apiOrigin: 'https://api.bms.kaseya.com', tenant: 'Sidecar  Test' };
    expect(bms.sourceKeyFor(settings)).toBe('kaseya-bms:bms.kaseya.com:sidecar test');
    // The API address is how this install reaches the tenant, not which tenant it is.
    expect(bms.sourceKeyFor({ ...settings, apiOrigin: 'https://api-proxy.example', tenant: 'SIDECAR TEST' })).toBe('kaseya-bms:bms.kaseya.com:sidecar test');

    const halo = descriptor('halo');
    expect(halo.sourceKeyFor({ resourceOrigin: 'https://Acme.HaloPSA.com', tenant: 'acme' })).toBe('halo:acme.halopsa.com');
    expect(halo.sourceKeyFor({ resourceOrigin: 'https://acme.halopsa.com', authServer: 'https://acme.halopsa.com/auth' })).toBe('halo:acme.halopsa.com');
  });

  it('is undefined for settings that do not parse', () => {
    expect(descriptor('connectwise').sourceKeyFor({ host: 'na.myconnectwise.net' })).toBeUndefined();
    expect(descriptor('halo').sourceKeyFor({ resourceOrigin: 'not a url' })).toBeUndefined();
    expect(descriptor('kaseya-bms').sourceKeyFor(null)).toBeUndefined();
  });
});

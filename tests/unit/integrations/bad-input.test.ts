import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SidecarDb } from '@/lib/db/schema';
import { saveIntegration } from '@/lib/integrations/service';
import type { FormValues } from '@/lib/psa/form';
import type { PsaKind } from '@/lib/psa/types';
import { memoryKeyStore } from '@/lib/secrets/session';
import { Vault } from '@/lib/secrets/vault';
import { VALID_FORMS, newDb, snapshot } from '../../support/bad-input.ts';

/**
 * Issue #6, bad input: what a user saves as an integration. Every case names the message a user reads and the field it is
 * shown at; where a write is involved, nothing is half-saved (the stored tables are compared
 * before and after; fixtures in tests/support/bad-input.ts).
 */

describe('saveIntegration refuses bad input and writes nothing', () => {
  let db: SidecarDb;
  let vault: Vault;
  let granted: boolean;
  const deps = () => ({ db, vault, hasHostPermission: async () => granted, now: () => 42 });

  beforeEach(async () => {
    db = await newDb('bad-integration');
    vault = new Vault({ db, session: memoryKeyStore(), iterations: 1000 });
    granted = true;
  });
  afterEach(async () => {
    await db.delete();
  });

  type SaveCase = {
    psa: PsaKind;
    form: FormValues;
    /** 'existing': a ConnectWise integration for na.myconnectwise.net is saved first. */
    given?: 'existing';
    edit?: 'existing' | 'removed';
    granted?: boolean;
    code: string;
    message: RegExp;
    fields?: Record<string, RegExp>;
  };
  it.each<[string, SaveCase]>([
    [
      'every bad ConnectWise field at once',
      {
        psa: 'connectwise',
        form: { ...VALID_FORMS.connectwise, domain: '', clientId: 'x', publicKey: 'a b' },
        code: 'invalid',
        message: /^Some fields need attention\.$/,
        fields: { domain: /Enter your ConnectWise domain/, clientId: /GUID/, publicKey: /cannot contain spaces/ },
      },
    ],
    [
      'a Halo tenant with spaces',
      {
        psa: 'halo',
        form: { ...VALID_FORMS.halo, tenant: 'acme tenant' },
        code: 'invalid',
        message: /Some fields need attention/,
        fields: { tenant: /tenant cannot contain spaces/ },
      },
    ],
    [
      'a BMS custom domain left empty',
      {
        psa: 'kaseya-bms',
        form: { ...VALID_FORMS['kaseya-bms'], region: 'custom' },
        code: 'invalid',
        message: /Some fields need attention/,
        fields: { customDomain: /Enter the custom domain/ },
      },
    ],
    [
      'a PSA this version does not have',
      { psa: 'autotask' as PsaKind, form: VALID_FORMS.connectwise, code: 'invalid', message: /^autotask integrations are not available in this version\.$/ },
    ],
    [
      'host permission not granted',
      {
        psa: 'connectwise',
        form: VALID_FORMS.connectwise,
        granted: false,
        code: 'permission-needed',
        message: /^Sidecar needs permission to open na\.myconnectwise\.net\. Click Save again and choose Allow\.$/,
        fields: { domain: /^Permission for na\.myconnectwise\.net was not granted\.$/ },
      },
    ],
    [
      'a second integration for the same address (pasted as a URL)',
      {
        psa: 'connectwise',
        form: { ...VALID_FORMS.connectwise, domain: 'https://NA.myconnectwise.net/v2025_1/' },
        given: 'existing',
        code: 'invalid',
        message: /Some fields need attention/,
        fields: { domain: /^na\.myconnectwise\.net is already configured \(ConnectWise \(na\.myconnectwise\.net\)\)\.$/ },
      },
    ],
    [
      'an edit that breaks the domain keeps the saved integration as it was',
      {
        psa: 'connectwise',
        form: { ...VALID_FORMS.connectwise, domain: 'ftp://na.myconnectwise.net', publicKey: '', privateKey: '', clientId: '' },
        edit: 'existing',
        code: 'invalid',
        message: /Some fields need attention/,
        fields: { domain: /"ftp:\/\/" is not a web address/ },
      },
    ],
    [
      'an edit of an integration removed meanwhile',
      { psa: 'connectwise', form: VALID_FORMS.connectwise, edit: 'removed', code: 'not-found', message: /^That integration no longer exists\.$/ },
    ],
    [
      'a domain too long for DNS',
      {
        psa: 'connectwise',
        form: { ...VALID_FORMS.connectwise, domain: `${'a'.repeat(250)}.com` },
        code: 'invalid',
        message: /^Some fields need attention\.$/,
        fields: { domain: /^That domain is too long: a domain has at most 253 characters\.$/ },
      },
    ],
  ])('%s', async (_case, c) => {
    let integrationId: string | undefined;
    if (c.given === 'existing' || c.edit === 'existing')
      integrationId = (await saveIntegration(deps(), { psa: 'connectwise', form: VALID_FORMS.connectwise })).integration.id;
    if (c.edit === 'removed') integrationId = 'removed-meanwhile';
    const before = await snapshot(db);
    granted = c.granted ?? true;
    const error = await saveIntegration(deps(), { psa: c.psa, form: c.form, ...(c.edit ? { integrationId } : {}) }).then(
      () => undefined,
      (caught: unknown) => caught as { code: string; message: string; fields?: Record<string, string> },
    );
    expect(error).toBeDefined();
    expect(error!.code).toBe(c.code);
    expect(error!.message).toMatch(c.message);
    if (c.fields) {
      expect(Object.keys(error!.fields ?? {}).sort()).toEqual(Object.keys(c.fields).sort());
      for (const [field, message] of Object.entries(c.fields)) expect(error!.fields![field], field).toMatch(message);
    } else {
      expect(error!.fields).toBeUndefined();
    }
    // Nothing half-saved: no integration row, no sealed credentials, nothing changed.
    expect(await snapshot(db)).toBe(before);
    if (!c.given && !c.edit) expect([await db.integrations.count(), await db.secrets.count()]).toEqual([0, 0]);
  });
});

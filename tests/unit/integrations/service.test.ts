import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { removeIntegration, saveIntegration } from '@/lib/integrations/service';
import { KEY_ROW_PREFIX, openDocSecret, sealDocSecret } from '@/lib/secrets/doc-key';
import { readCredentials } from '@/lib/secrets/store';
import { memoryKeyStore } from '@/lib/secrets/session';
import { Vault } from '@/lib/secrets/vault';

let db: SidecarDb;
let vault: Vault;
let granted: boolean;
const deps = () => ({ db, vault, hasHostPermission: async () => granted, now: () => 42 });
const form = {
  domain: 'https://na.myconnectwise.net/',
  companyId: 'acme',
  publicKey: 'pub',
  privateKey: 'priv',
  clientId: '1c2d3e4f-1111-2222-3333-444455556666',
};

beforeEach(() => {
  db = new SidecarDb(`integrations-${Math.random()}`);
  vault = new Vault({ db, session: memoryKeyStore(), iterations: 1000 });
  granted = true;
});
afterEach(async () => {
  await db.delete();
});

describe('saveIntegration', () => {
  it('saves normalised settings apart from the credentials, with the note about the domain', async () => {
    const { integration, note } = await saveIntegration(deps(), { psa: 'connectwise', form });
    expect(integration).toMatchObject({
      psa: 'connectwise',
      uiOrigin: 'https://na.myconnectwise.net',
      origins: ['https://na.myconnectwise.net', 'https://api-na.myconnectwise.net'],
      settings: { host: 'na.myconnectwise.net', scheme: 'https', companyId: 'acme' },
    });
    expect(JSON.stringify(integration)).not.toContain('priv');
    expect(note).toMatch(/Saved as na\.myconnectwise\.net/);
    // Sealed at rest; the vault opens them.
    const row = await db.secrets.get(integration.id);
    expect(row).toEqual({ integrationId: integration.id, sealed: { iv: expect.any(String), data: expect.any(String) } });
    expect(JSON.stringify(await db.secrets.toArray())).not.toContain('priv');
    expect(await readCredentials(db, vault, integration.id)).toEqual({ publicKey: 'pub', privateKey: 'priv', clientId: form.clientId });
  });

  it('refuses bad fields, a missing permission and a second integration on the same domain, writing nothing', async () => {
    await expect(saveIntegration(deps(), { psa: 'connectwise', form: { ...form, clientId: 'x', domain: '' } })).rejects.toMatchObject({
      code: 'invalid',
      fields: { clientId: expect.stringMatching(/GUID/), domain: expect.stringMatching(/Enter your ConnectWise domain/) },
    });
    granted = false;
    await expect(saveIntegration(deps(), { psa: 'connectwise', form })).rejects.toMatchObject({ code: 'permission-needed' });
    expect(await db.integrations.count()).toBe(0);
    granted = true;
    await saveIntegration(deps(), { psa: 'connectwise', form });
    await expect(saveIntegration(deps(), { psa: 'connectwise', form })).rejects.toMatchObject({
      fields: { domain: expect.stringMatching(/already configured/) },
    });
    expect(await db.integrations.count()).toBe(1);
  });

  it('editing with blank keys keeps the saved keys and the discovered codebase', async () => {
    const { integration } = await saveIntegration(deps(), { psa: 'connectwise', form });
    await db.integrations.update(integration.id, { settings: { ...integration.settings, codebase: 'v2025_1/' } });
    const edited = await saveIntegration(deps(), {
      integrationId: integration.id,
      psa: 'connectwise',
      form: { ...form, domain: 'na.myconnectwise.net', publicKey: '', privateKey: ' ', clientId: '' },
    });
    expect(edited.integration.settings.codebase).toBe('v2025_1/');
    expect((await readCredentials(db, vault, integration.id))?.privateKey).toBe('priv');
  });

  it('a server changed by another save between the check and the write is caught inside the transaction', async () => {
    const { integration } = await saveIntegration(deps(), { psa: 'connectwise', form });
    const before = await db.secrets.toArray();
    // The permission check runs between the two: another options tab moves the row to another domain meanwhile.
    const racing = {
      ...deps(),
      hasHostPermission: async () => (
        await db.integrations.update(integration.id, { uiOrigin: 'https://eu.myconnectwise.net', origins: ['https://eu.myconnectwise.net'] }),
        true
      ),
    };
    await expect(
      saveIntegration(racing, { integrationId: integration.id, psa: 'connectwise', form: { ...form, publicKey: '', privateKey: '', clientId: '' } }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await db.secrets.toArray()).toEqual(before);
    expect((await db.integrations.get(integration.id))?.uiOrigin).toBe('https://eu.myconnectwise.net');
  });
});

/**
 * Saved credentials are reused (blank credential fields) only for the same server: same PSA, same
 * uiOrigin, same origins and, for Halo, the same authorisation server. Checked by hand to fail
 * without the guard: with `retype` in saveIntegration forced to `{}`, every "changed server" case
 * saves and sends the saved keys to the new host; with sameServer ignoring `serverSettings`, the
 * Halo authorisation-server-path case saves; with it comparing more than the server (e.g. every
 * setting), the "same server" cases with a changed company or tenant are refused; without the
 * check inside the transaction, the race case writes.
 */
describe('editing: saved credentials stay with their server', () => {
  const cases = {
    connectwise: {
      form: { domain: 'na.myconnectwise.net', companyId: 'acme', publicKey: 'pub', privateKey: 'priv', clientId: '1c2d3e4f-1111-2222-3333-444455556666' },
      credentials: ['publicKey', 'privateKey', 'clientId'],
      labels: { publicKey: 'public key', privateKey: 'private key', clientId: 'client ID' },
      typed: { publicKey: 'pub2', privateKey: 'priv2', clientId: '99999999-1111-2222-3333-444455556666' },
      sameServer: { domain: 'https://na.myconnectwise.net/', companyId: 'acme2' },
      changes: { 'another domain': { domain: 'eu.myconnectwise.net' } },
    },
    halo: {
      form: { resourceServer: 'https://acme.halopsa.com', tenant: 'acme', clientId: 'halo-id', clientSecret: 'halo-secret', authServer: '' },
      credentials: ['clientId', 'clientSecret'],
      labels: { clientId: 'client ID', clientSecret: 'client secret' },
      typed: { clientId: 'halo-id-2', clientSecret: 'halo-secret-2' },
      sameServer: { resourceServer: 'https://acme.halopsa.com/api', tenant: 'acme2' },
      changes: {
        'another resource server': { resourceServer: 'https://other.halopsa.com' },
        'an authorisation server on another origin': { authServer: 'https://login.example.com/auth' },
        'an authorisation server on the same origin (another path)': { authServer: 'https://acme.halopsa.com/auth2' },
      },
    },
    'kaseya-bms': {
      form: { region: 'bms.kaseya.com', customDomain: '', tenant: 'Acme MSP', username: 'api.user', password: 'pw', apiUrl: '' },
      credentials: ['username', 'password'],
      labels: { username: 'user name', password: 'password' },
      typed: { username: 'api.user2', password: 'pw2' },
      sameServer: { tenant: 'Acme MSP 2' },
      changes: { 'another region': { region: 'psa.pulseway.com' }, 'another API address': { apiUrl: 'https://bms-api.example.com' } },
    },
  } as const;
  type Psa = keyof typeof cases;
  const blankCredentials = (psa: Psa) => Object.fromEntries(cases[psa].credentials.map((name) => [name, '']));
  const savedCredentials = (psa: Psa) => Object.fromEntries(cases[psa].credentials.map((name) => [name, (cases[psa].form as Record<string, string>)[name]]));
  const snapshot = async () => ({ integrations: await db.integrations.toArray(), secrets: await db.secrets.toArray() });
  const changedCases = (Object.keys(cases) as Psa[]).flatMap((psa) => Object.entries(cases[psa].changes).map(([what, change]) => [psa, what, change] as const));

  it.each(Object.keys(cases) as Psa[])('%s: the same server (other fields changed) keeps the saved keys', async (psa) => {
    const { form, sameServer } = cases[psa];
    const { integration } = await saveIntegration(deps(), { psa, form });
    const edited = await saveIntegration(deps(), { integrationId: integration.id, psa, form: { ...form, ...sameServer, ...blankCredentials(psa) } });
    expect(edited.integration.origins).toEqual(integration.origins);
    expect(await readCredentials(db, vault, integration.id)).toEqual(savedCredentials(psa));
  });

  it.each(changedCases)('%s, %s: blank credentials are refused at each credential field and nothing is written', async (psa, _what, change) => {
    const { form, labels } = cases[psa];
    const { integration } = await saveIntegration(deps(), { psa, form });
    const before = await snapshot();
    const error = await saveIntegration(deps(), { integrationId: integration.id, psa, form: { ...form, ...change, ...blankCredentials(psa) } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'invalid', message: 'The server changed: enter the credentials again.' });
    expect((error as { fields: Record<string, string> }).fields).toEqual(
      Object.fromEntries(Object.entries(labels).map(([name, label]) => [name, `Enter the ${label} again: the server changed.`])),
    );
    expect(await snapshot()).toEqual(before);
  });

  it.each(changedCases)('%s, %s: with the credentials typed again, it saves them for the new server', async (psa, _what, change) => {
    const { form, typed } = cases[psa];
    const { integration } = await saveIntegration(deps(), { psa, form });
    const edited = await saveIntegration(deps(), { integrationId: integration.id, psa, form: { ...form, ...change, ...typed } });
    expect(edited.integration.id).toBe(integration.id);
    expect(edited.integration.settings).not.toEqual(integration.settings);
    expect(await readCredentials(db, vault, integration.id)).toEqual(typed);
  });

  it('only the fields left blank are asked for; another PSA on the same row never takes the saved keys', async () => {
    const { integration } = await saveIntegration(deps(), { psa: 'connectwise', form });
    const partly = saveIntegration(deps(), {
      integrationId: integration.id,
      psa: 'connectwise',
      form: { ...form, domain: 'eu.myconnectwise.net', publicKey: 'pub2', privateKey: '', clientId: '' },
    });
    await expect(partly).rejects.toMatchObject({
      fields: { privateKey: 'Enter the private key again: the server changed.', clientId: 'Enter the client ID again: the server changed.' },
    });
    await expect(partly).rejects.not.toMatchObject({ fields: { publicKey: expect.anything() } });
    // A ConnectWise row edited as Halo: its saved Client ID is not carried over to Halo.
    const halo = saveIntegration(deps(), {
      integrationId: integration.id,
      psa: 'halo',
      form: { resourceServer: 'https://acme.halopsa.com', tenant: '', clientId: '', clientSecret: 'halo-secret', authServer: '' },
    });
    await expect(halo).rejects.toMatchObject({ fields: { clientId: 'Enter the client ID again: the server changed.' } });
    expect((await readCredentials(db, vault, integration.id))?.privateKey).toBe('priv');
  });
});

describe('removeIntegration', () => {
  it('removes what was synced from it and keeps client spaces', async () => {
    const { integration } = await saveIntegration(deps(), { psa: 'connectwise', form });
    await db.records.add({
      integrationId: integration.id,
      entity: 'company',
      remoteId: '1',
      companyRemoteId: '1',
      data: { remoteId: '1', name: 'A', types: [] },
      sortName: 'a',
      syncedAt: 0,
    });
    await db.clientSpaces.add({ id: 'space', name: 'A', createdAt: 0 });
    await db.matches.add({ integrationId: integration.id, companyRemoteId: '1', state: 'matched', clientSpaceId: 'space', decidedAt: 0 });
    await db.sortRules.add({ id: 'rule', integrationId: integration.id, order: 0, typeName: 'Firewall', layoutId: 'layout-configurations' });
    await db.runs.add({
      id: 'preview',
      integrationId: integration.id,
      trigger: 'manual',
      status: 'running',
      startedAt: 0,
      steps: [],
      stepIndex: 0,
      pageToken: null,
      maxUpdatedAt: {},
      counts: {},
      attempts: 0,
      dryRun: true,
    });
    await db.seenBatches.add({ runId: 'preview', entity: 'company', batch: 'b', remoteIds: ['1'] });
    await removeIntegration(db, integration.id);
    expect(await db.records.count()).toBe(0);
    expect(await db.matches.count()).toBe(0);
    expect(await db.sortRules.count()).toBe(0);
    expect(await db.runs.count()).toBe(0);
    expect(await db.seenBatches.count()).toBe(0);
    expect(await db.secrets.count()).toBe(0);
    expect(await db.clientSpaces.count()).toBe(1);
  });

  it('keeps the documentation key (a `key:` row of secrets), even asked to remove an integration by its id', async () => {
    const { integration } = await saveIntegration(deps(), { psa: 'connectwise', form });
    const box = await sealDocSecret(db, vault, { secret: 'FIREWALL-ADMIN' });
    const keyRow = (await db.secrets.get(KEY_ROW_PREFIX + box.keyId))!;
    expect(keyRow).toBeDefined();
    await removeIntegration(db, integration.id);
    expect(await db.secrets.toArray()).toEqual([keyRow]);
    // An integration row under the key row's id (none is ever made so: ids are UUIDs) still leaves the key.
    await db.integrations.add({ ...integration, id: keyRow.integrationId });
    expect(await removeIntegration(db, keyRow.integrationId)).toBeDefined();
    expect(await db.integrations.count()).toBe(0);
    expect(await db.secrets.toArray()).toEqual([keyRow]);
    expect(await openDocSecret(db, vault, box)).toEqual({ secret: 'FIREWALL-ADMIN' });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { removeIntegration, saveIntegration } from '@/lib/integrations/service';
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
    await expect(saveIntegration(deps(), { psa: 'connectwise', form })).rejects.toMatchObject({ fields: { domain: expect.stringMatching(/already configured/) } });
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
});

describe('removeIntegration', () => {
  it('removes what was synced from it and keeps client spaces', async () => {
    const { integration } = await saveIntegration(deps(), { psa: 'connectwise', form });
    await db.records.add({ integrationId: integration.id, entity: 'company', remoteId: '1', companyRemoteId: '1', data: { remoteId: '1', name: 'A', types: [] }, sortName: 'a', syncedAt: 0 });
    await db.clientSpaces.add({ id: 'space', name: 'A', createdAt: 0 });
    await db.matches.add({ integrationId: integration.id, companyRemoteId: '1', state: 'matched', clientSpaceId: 'space', decidedAt: 0 });
    await db.sortRules.add({ id: 'rule', integrationId: integration.id, order: 0, typeName: 'Firewall', layoutId: 'layout-configurations' });
    await db.runs.add({ id: 'preview', integrationId: integration.id, trigger: 'manual', status: 'running', startedAt: 0, steps: [], stepIndex: 0, pageToken: null, maxUpdatedAt: {}, counts: {}, attempts: 0, dryRun: true });
    await db.previewSeen.add({ runId: 'preview', entity: 'company', remoteId: '1' });
    await removeIntegration(db, integration.id);
    expect(await db.records.count()).toBe(0);
    expect(await db.matches.count()).toBe(0);
    expect(await db.sortRules.count()).toBe(0);
    expect(await db.runs.count()).toBe(0);
    expect(await db.previewSeen.count()).toBe(0);
    expect(await db.secrets.count()).toBe(0);
    expect(await db.clientSpaces.count()).toBe(1);
  });
});

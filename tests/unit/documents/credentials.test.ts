import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spaceRecords } from '@/lib/documents/space-records';
import { SidecarDb } from '@/lib/db/schema';
import { destroyDocStore, docStore, type DocStore } from '@/lib/docstore/pouch';
import { saveAuthorName } from '@/lib/docstore/author';
import { DocumentService } from '@/lib/documents/service';
import { spaceDocuments } from '@/lib/documents/read';
import { HandledError } from '@/lib/errors';
import { memoryKeyStore } from '@/lib/secrets/session';
import { Vault } from '@/lib/secrets/vault';
import { KEY_ROW_PREFIX } from '@/lib/secrets/doc-key';
import { buildOverlayView, TicketCache } from '@/lib/overlay-view/view';
import type { PsaAdapter } from '@/lib/psa/types';
import { describeCredential } from '@/components/space/credentials-panel';

/**
 * Credentials technicians write (lib/documents/credentials.ts): sealed under the documentation
 * key, nowhere in the clear (store, projection, versions); an edit with a blank secret keeps it;
 * a locked vault refuses to seal or open and nothing else stops.
 *
 * Checked by hand to fail without their guards (each removed, run, restored):
 * - with `sealed` taken from the input as plaintext (the secret stored as it came), the dump case fails;
 * - with nextBox opening the box on every edit (not keeping it when nothing sealed changes), the
 *   locked case fails: renaming while locked is refused;
 * - with the clear fields checked after sealing, the bad-input case finds a key row made.
 */

const SECRET = 'Fw-Admin-Pa55word!';
const SEED = 'jbsw y3dp ehpk 3pxp';
const NOTES = 'Break-glass account: rack 4, sealed envelope';
const PASSPHRASE = 'correct horse battery staple';
const CW = { host: 'na.myconnectwise.net', scheme: 'https', companyId: 'acme' };
const ORIGIN = 'https://na.myconnectwise.net';

let db: SidecarDb;
let store: DocStore;
let storeName: string;
let vault: Vault;
let docs: DocumentService;

beforeEach(async () => {
  db = new SidecarDb(`credentials-${crypto.randomUUID()}`);
  await db.open();
  storeName = `docs-${crypto.randomUUID()}`;
  store = docStore(storeName);
  vault = new Vault({ db, session: memoryKeyStore(), iterations: 1000 });
  docs = new DocumentService(db, () => store, vault);
  await db.clientSpaces.bulkAdd([
    { id: 'space-1', name: 'Northwind', createdAt: 0 },
    { id: 'space-2', name: 'Contoso', createdAt: 0 },
  ]);
  await db.integrations.add({
    id: 'cw',
    psa: 'connectwise',
    label: 'ConnectWise',
    settings: CW,
    uiOrigin: ORIGIN,
    origins: [ORIGIN],
    createdAt: 0,
    connection: { ok: true, companyName: 'MSP', testedAt: 0 },
    lastSyncAt: 1000,
  });
  const record = (entity: 'company' | 'configuration', remoteId: string, companyRemoteId: string, name: string) => ({
    integrationId: 'cw',
    entity,
    remoteId,
    companyRemoteId,
    data: (entity === 'company' ? { remoteId, name, types: [] } : { remoteId, companyRemoteId, name }) as never,
    sortName: name.toLowerCase(),
    syncedAt: 1,
  });
  await db.records.bulkAdd([
    record('company', '1', '1', 'Northwind'),
    record('company', '2', '2', 'Contoso'),
    record('configuration', '20', '1', 'FS01'),
    record('configuration', '21', '2', 'Contoso box'),
  ]);
  await db.matches.bulkAdd([
    { integrationId: 'cw', companyRemoteId: '1', state: 'matched', clientSpaceId: 'space-1', decidedAt: 0 },
    { integrationId: 'cw', companyRemoteId: '2', state: 'matched', clientSpaceId: 'space-2', decidedAt: 0 },
  ]);
  await saveAuthorName(db, 'Dana');
});
afterEach(async () => {
  await destroyDocStore(storeName);
  await db.delete();
});

const refusal = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HandledError);
  return error as HandledError;
};

/** Every IndexedDB database of this test (Sidecar's Dexie and the PouchDB store), every record, as text. */
async function rawDump(): Promise<string> {
  const names = (await indexedDB.databases()).map((info) => info.name!).filter((name) => name === db.name || name.includes(storeName));
  expect(names.length).toBeGreaterThanOrEqual(2);
  const out: unknown[] = [];
  for (const name of names) {
    const idb = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const table of Array.from(idb.objectStoreNames)) {
      out.push(
        name,
        table,
        await new Promise((resolve, reject) => {
          const all = idb.transaction(table).objectStore(table).getAll();
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => reject(all.error);
        }),
      );
    }
    idb.close();
  }
  return JSON.stringify(out);
}

const space1 = { place: { spaceId: 'space-1' } };

describe('credentials', () => {
  it('seals the secret, seed and notes: nowhere in the store, its versions or the projection; name, user name and URL stay clear; reveal opens them', async () => {
    const saved = await docs.saveCredential({
      ...space1,
      name: 'Firewall admin',
      username: 'admin',
      url: 'https://fw.northwind.example',
      secret: SECRET,
      otpSeed: SEED,
      notes: NOTES,
    });
    const edited = await docs.saveCredential({ id: saved.id, baseRev: saved.rev, name: 'Firewall admin', secret: 'Second-Pa55word!' });
    await docs.bin(edited.id, edited.rev);

    const dump = await rawDump();
    for (const plain of [SECRET, 'Second-Pa55word!', 'JBSWY3DPEHPK3PXP', 'jbsw y3dp', NOTES, 'Break-glass']) expect(dump).not.toContain(plain);
    expect(dump).toContain('Firewall admin');
    expect(dump).toContain('version:credential:'); // the versions were in the dump
    const stored = await store.get(saved.id);
    expect(stored).toMatchObject({
      kind: 'credential',
      name: 'Firewall admin',
      place: { spaceId: 'space-1' },
      sealed: { keyId: expect.stringMatching(/^local:/) },
    });
    expect(stored).not.toHaveProperty('username'); // the edit removed it
    expect((await db.docs.get(saved.id))?.words).toEqual(expect.arrayContaining(['firewall', 'admin']));

    await docs.unbin(saved.id, (await store.get(saved.id))._rev!);
    expect(await docs.revealCredential(saved.id)).toEqual({ secret: 'Second-Pa55word!', otpSeed: 'JBSWY3DPEHPK3PXP', notes: NOTES });
  });

  it('an edit with a blank secret keeps the box as it is; a new secret keeps the seed and notes; blank seed removes it; the same secret writes nothing', async () => {
    const saved = await docs.saveCredential({ ...space1, name: 'Firewall', secret: SECRET, otpSeed: SEED, notes: NOTES });
    const box = (await store.get(saved.id)).sealed;
    const renamed = await docs.saveCredential({
      id: saved.id,
      baseRev: saved.rev,
      name: 'Firewall admin',
      username: 'root',
      url: 'http://10.0.0.1',
      secret: '',
    });
    expect((await store.get(saved.id)).sealed).toEqual(box);
    expect(await store.get(saved.id)).toMatchObject({ name: 'Firewall admin', username: 'root', url: 'http://10.0.0.1' });
    expect(await docs.revealCredential(saved.id)).toEqual({ secret: SECRET, otpSeed: 'JBSWY3DPEHPK3PXP', notes: NOTES });

    const same = await docs.saveCredential({
      id: saved.id,
      baseRev: renamed.rev,
      name: 'Firewall admin',
      username: 'root',
      url: 'http://10.0.0.1',
      secret: SECRET,
      otpSeed: SEED,
    });
    expect(same).toEqual({ id: saved.id, rev: renamed.rev, changed: false });

    const rekeyed = await docs.saveCredential({
      id: saved.id,
      baseRev: renamed.rev,
      name: 'Firewall admin',
      username: 'root',
      url: 'http://10.0.0.1',
      secret: 'New-Secret-1',
    });
    expect(await docs.revealCredential(saved.id)).toEqual({ secret: 'New-Secret-1', otpSeed: 'JBSWY3DPEHPK3PXP', notes: NOTES });
    await docs.saveCredential({ id: saved.id, baseRev: rekeyed.rev, name: 'Firewall admin', otpSeed: '', notes: 'new notes' });
    expect(await docs.revealCredential(saved.id)).toEqual({ secret: 'New-Secret-1', notes: 'new notes' });

    // A stale edit is refused, naming who changed it; nothing is sealed for it.
    const stale = await refusal(docs.saveCredential({ id: saved.id, baseRev: saved.rev, name: 'x', secret: 'stale' }));
    expect(stale.code).toBe('changed');
  });

  it('history shows name, user name and URL; the sealed box goes to no page, and a version restores (with its secret)', async () => {
    const saved = await docs.saveCredential({ ...space1, name: 'VPN', username: 'dana', url: 'https://vpn.example', secret: SECRET });
    const edited = await docs.saveCredential({ id: saved.id, baseRev: saved.rev, name: 'VPN (new)', username: 'dana', secret: 'Newer-Secret' });
    const history = await docs.history(saved.id);
    expect(history).toHaveLength(2);
    for (const entry of history) expect(entry.content.sealed).toEqual({ keyId: expect.stringMatching(/^local:/) });
    expect(history.map((entry) => describeCredential(entry.content))).toEqual(['VPN (new) (dana)', 'VPN (dana) · https://vpn.example']);
    expect(JSON.stringify(history)).not.toMatch(/"iv"|"data"/);
    await docs.restoreVersion(saved.id, saved.rev, edited.rev);
    expect(await docs.revealCredential(saved.id)).toEqual({ secret: SECRET });
    expect(await store.get(saved.id)).toMatchObject({ name: 'VPN', url: 'https://vpn.example' });
  });

  it('refuses bad input at its field before anything is sealed or stored', async () => {
    const cases: [Parameters<DocumentService['saveCredential']>[0], string, RegExp][] = [
      [{ ...space1, name: 'OTP', secret: 's', otpSeed: 'not base32!' }, 'otpSeed', /must be base32/],
      [{ ...space1, name: 'FTP', secret: 's', url: 'ftp://files.example' }, 'url', /http:\/\/ or https:\/\//],
      [{ ...space1, name: 'Script', secret: 's', url: 'javascript:alert(1)' }, 'url', /http:\/\/ or https:\/\//],
      [{ ...space1, name: '   ', secret: 's' }, 'name', /A name is needed/],
      [{ ...space1, name: 'No secret' }, 'secret', /A secret is needed/],
      [{ ...space1, name: 'Long', secret: 'x'.repeat(10_001) }, 'secret', /too long/],
      [{ ...space1, name: 'x'.repeat(201), secret: 's' }, 'name', /At most 200/],
    ];
    for (const [input, field, message] of cases) {
      const error = await refusal(docs.saveCredential(input));
      expect(error.fields?.[field], field).toMatch(message);
    }
    expect((await refusal(docs.saveCredential({ place: { spaceId: 'nope' }, name: 'x', secret: 's' }))).code).toBe('not-found');
    expect((await refusal(docs.saveCredential({ id: 'note:1', name: 'x', secret: 's' }))).code).toBe('invalid');
    expect((await store.info()).doc_count).toBe(0);
    expect(await db.secrets.count()).toBe(0); // no documentation key was made
  });

  it('locked: saving and revealing say so clearly; renaming, notes, articles, history and the overlay go on', async () => {
    const saved = await docs.saveCredential({ ...space1, name: 'Firewall', secret: SECRET });
    await vault.setPassphrase(PASSPHRASE);
    await vault.lock();

    const locked = await refusal(docs.saveCredential({ ...space1, name: 'Switch', secret: 'x' }));
    expect(locked.code).toBe('locked');
    expect(locked.message).toMatch(/^Sidecar is locked: enter your passphrase in Sidecar’s options to open or save credentials\.$/);
    expect((await refusal(docs.revealCredential(saved.id))).code).toBe('locked');
    expect((await refusal(docs.saveCredential({ id: saved.id, baseRev: saved.rev, name: 'Firewall', secret: 'new' }))).code).toBe('locked');
    expect((await refusal(docs.credentialSecret(saved.id, 'space-1'))).code).toBe('locked');

    const renamed = await docs.saveCredential({ id: saved.id, baseRev: saved.rev, name: 'Firewall admin' });
    expect(renamed.changed).toBe(true);
    await docs.saveNote({ ...space1, text: 'Still writable' });
    await docs.saveArticle({ spaceId: 'space-1', title: 'Backups', body: 'Still writable' });
    expect(await docs.history(saved.id)).toHaveLength(2);
    const page = await spaceDocuments(db, 'space-1');
    expect(page.credentials.map((credential) => credential.name)).toEqual(['Firewall admin']);
    expect(page.notes).toHaveLength(1);

    const adapter = {
      kind: 'connectwise',
      getTicket: async () => ({ ticketId: '9', companyRemoteId: '1' }),
      recordUrl: () => undefined,
    } as unknown as PsaAdapter;
    const vaultLocked = async () => {
      const status = await vault.status();
      return status.protected && status.locked;
    };
    const view = await buildOverlayView({ db, adapterFor: async () => adapter, tickets: new TicketCache(), vaultLocked }, ORIGIN, {
      psa: 'connectwise',
      kind: 'company',
      id: '1',
    });
    expect(view.state === 'ready' && view.credentials).toEqual([{ id: saved.id, name: 'Firewall admin', locked: true }]);

    await vault.unlock(PASSPHRASE);
    expect(await docs.revealCredential(saved.id)).toEqual({ secret: SECRET });
  });

  it('the overlay lists the client’s and its records’ credentials by name only (the page’s record first), never another client’s or a binned one', async () => {
    await docs.saveCredential({ ...space1, name: 'Wi-Fi', username: 'guest', secret: 'wifi-secret' });
    await docs.saveCredential({ place: { integrationId: 'cw', entity: 'configuration', remoteId: '20' }, name: 'FS01 local admin', secret: 'fs01-secret' });
    await docs.saveCredential({ place: { spaceId: 'space-2' }, name: 'Contoso router', secret: 'contoso-secret' });
    await docs.saveCredential({ place: { integrationId: 'cw', entity: 'configuration', remoteId: '21' }, name: 'Contoso box admin', secret: 'box-secret' });
    const binned = await docs.saveCredential({ ...space1, name: 'Old', secret: 'old' });
    await docs.bin(binned.id, binned.rev);

    const adapter = { kind: 'connectwise', recordUrl: () => undefined } as unknown as PsaAdapter;
    const view = await buildOverlayView({ db, adapterFor: async () => adapter, tickets: new TicketCache() }, ORIGIN, {
      psa: 'connectwise',
      kind: 'configuration',
      id: '20',
    });
    if (view.state !== 'ready') throw new Error(view.state);
    expect(view.credentials.map(({ name, username, about, locked }) => [name, username, about, locked])).toEqual([
      ['FS01 local admin', undefined, 'FS01', false],
      ['Wi-Fi', 'guest', undefined, false],
    ]);
    expect(JSON.stringify(view)).not.toMatch(/secret"|sealed|"iv"/);
  });

  it('the client-space page lists a record’s credentials on that record, clear fields only', async () => {
    await docs.saveCredential({
      place: { integrationId: 'cw', entity: 'configuration', remoteId: '20' },
      name: 'iLO',
      username: 'root',
      secret: 'ilo-secret-1',
    });
    await docs.saveCredential({ place: { integrationId: 'cw', entity: 'configuration', remoteId: '21' }, name: 'Their iLO', secret: 'their-secret' });
    const groups = await spaceRecords(db, 'space-1');
    const fs01 = groups.flatMap((group) => group.records).find((row) => row.remoteId === '20')!;
    expect(fs01.credentials.map(({ name, username }) => ({ name, username }))).toEqual([{ name: 'iLO', username: 'root' }]);
    expect(JSON.stringify(groups)).not.toContain('ilo-secret-1');
    expect(JSON.stringify(groups)).not.toContain('Their iLO');
  });

  it('a copy opens only a live credential of that client space (its own or a record of a company matched to it)', async () => {
    const own = await docs.saveCredential({ ...space1, name: 'Wi-Fi', secret: 'wifi-secret' });
    const onRecord = await docs.saveCredential({
      place: { integrationId: 'cw', entity: 'configuration', remoteId: '20' },
      name: 'FS01',
      secret: 'fs01-secret',
    });
    const theirs = await docs.saveCredential({ place: { spaceId: 'space-2' }, name: 'Contoso', secret: 'contoso-secret' });
    const theirRecord = await docs.saveCredential({
      place: { integrationId: 'cw', entity: 'configuration', remoteId: '21' },
      name: 'Box',
      secret: 'box-secret',
    });
    expect(await docs.credentialSecret(own.id, 'space-1')).toBe('wifi-secret');
    expect(await docs.credentialSecret(onRecord.id, 'space-1')).toBe('fs01-secret');
    for (const id of [theirs.id, theirRecord.id, 'credential:nope', 'note:1']) {
      expect((await refusal(docs.credentialSecret(id, 'space-1'))).message).toBe('That credential is not one of this client’s.');
    }
    await docs.bin(own.id, own.rev);
    expect((await refusal(docs.credentialSecret(own.id, 'space-1'))).code).toBe('forbidden');
    expect((await refusal(docs.revealCredential(own.id))).code).toBe('binned');
    // The key row is the documentation key's, never an integration's.
    expect((await db.secrets.toArray()).every((row) => row.integrationId.startsWith(KEY_ROW_PREFIX))).toBe(true);
  });
});

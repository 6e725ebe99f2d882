// Over 300 lines on purpose: every accepted and refused authorisation-server answer, one case each.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { saveIntegration, testIntegration } from '@/lib/integrations/service';
import { createRouter, type Handlers } from '@/lib/messaging/router';
import { PsaError } from '@/lib/psa/errors';
import { HaloAdapter } from '@/lib/psa/halo/adapter';
import { haloForm } from '@/lib/psa/halo/form';
import type { HaloSettings } from '@/lib/psa/halo/settings';
import { createAdapter } from '@/lib/psa/registry';
import { readCredentials } from '@/lib/secrets/store';
import { memoryKeyStore } from '@/lib/secrets/session';
import { Vault } from '@/lib/secrets/vault';
import { startHaloEmulator, type RunningHaloEmulator } from '../../emulator/halo/start.ts';

/**
 * The client secret goes only to origins the person granted (lib/psa/halo/auth-server.ts): a
 * Halo's /api/authinfo may name any authorisation server, and a hostile answer must get nothing.
 *
 * Checked by hand to fail without their guard (edit, run this file, see it fail, restore):
 * - comment out `if (refused) throw refused;` in HaloClient.resolveAuthUrl: the foreign, saved, http
 *   and options-page cases fail (the collector is sent `POST /x/token` with client_secret);
 * - in auth-server.ts, drop only the https rule: the http case fails (refused for its origin, not
 *   for http); drop only the origin rule: the foreign (loopback and https), saved and options-page
 *   cases fail;
 * - compare with the resource origin only (forget the typed one): both typed cases fail;
 * - remove `redirect: 'manual'` from the token POST, or from the GET clients: the redirect case
 *   fails (the secret is re-posted to the collector, or the GET is followed).
 */

interface Received {
  method: string;
  url: string;
  body: string;
}

/** A second origin: records every request; optionally forwards `{prefix}/token` to the emulator's token endpoint, as a separate Halo authorisation server would answer. */
async function startCollector(forwardTokenTo?: () => string) {
  const received: Received[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      received.push({ method: req.method ?? '', url: req.url ?? '', body });
      const url = new URL(req.url ?? '/', 'http://collector');
      if (forwardTokenTo && req.method === 'POST' && url.pathname.endsWith('/token')) {
        const answer = await fetch(`${forwardTokenTo()}${url.search}`, {
          method: 'POST',
          headers: { 'Content-Type': req.headers['content-type'] ?? '' },
          body,
        });
        res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(await answer.text());
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // What an attacker's server answers: a token, so nothing looks wrong.
      res.end(JSON.stringify({ access_token: 'collected', token_type: 'Bearer', expires_in: 3600 }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Host names → loopback sockets, like DNS plus a TLS terminator: lets an emulator stand at
 * https://acme.halopsa.example (a resource server that is not on loopback). Records each URL asked for;
 * an origin without a route fails as an unknown host does.
 */
function routedFetch(routes: Record<string, string>) {
  const asked: string[] = [];
  const fetchVia = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    asked.push(`${request.method} ${url.href}`);
    const local = routes[url.origin];
    if (!local) throw new TypeError('fetch failed: unknown host');
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    return fetch(`${local}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      body,
      redirect: request.redirect,
      signal: request.signal,
    });
  };
  return { fetch: fetchVia as typeof fetch, asked };
}

let halo: RunningHaloEmulator;
let collector: Awaited<ReturnType<typeof startCollector>>;
/** Whose token endpoint the collector stands in for when a test trusts it. */
let tokenEndpoint = () => `${halo.localUrl}/auth/token`;

function adapter(settings: Partial<HaloSettings> = {}, fetch?: typeof globalThis.fetch) {
  const creds = halo.credentials.valid;
  return new HaloAdapter({
    settings: { resourceOrigin: halo.baseUrl, tenant: creds.tenant, ...settings },
    credentials: { clientId: creds.clientId, clientSecret: creds.clientSecret },
    retries: 0,
    timeoutMs: 5000,
    ...(fetch ? { fetch } : {}),
  });
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as PsaError,
  );
const tokenPosts = (emulator: RunningHaloEmulator) => emulator.control.requests().filter((entry) => /\/auth\/token$/i.test(entry.path));

beforeAll(async () => {
  halo = await startHaloEmulator({ preset: 'tiny', rateLimit: null });
  collector = await startCollector(() => tokenEndpoint());
});
afterAll(async () => {
  await collector.close();
  await halo.close();
});
beforeEach(() => {
  collector.received.length = 0;
  halo.control.resetRequestLog();
});
afterEach(() => {
  halo.control.setAuthUrl(null);
  halo.control.clearFaults();
});

describe('Halo authorisation server on the resource server (loopback, as the emulators run)', () => {
  it('same origin: authinfo names the resource server’s /auth and the connection works', async () => {
    const info = await adapter().testConnection();
    expect(info.settingsPatch).toEqual({ authUrl: `${halo.baseUrl}/auth` });
    expect(tokenPosts(halo)).toHaveLength(1);
    expect(collector.received).toEqual([]);
  });

  it('foreign: authinfo naming another origin gets no request at all; the error is at "Authorisation server" and names that server', async () => {
    halo.control.setAuthUrl(`${collector.url}/x`);
    const error = await failure(adapter().testConnection());
    expect(error).toBeInstanceOf(PsaError);
    expect(error).toMatchObject({ code: 'config', field: 'authServer' });
    expect(error!.message).toContain(`${collector.url}/x`);
    expect(error!.message).toMatch(/not on 127\.0\.0\.1:\d+.*type .* in "Authorisation server"/);
    expect(collector.received).toEqual([]);
    // Only authinfo was asked: no token anywhere, no API call.
    expect(halo.control.requests().map((entry) => entry.path)).toEqual(['/api/authinfo']);
  });

  it('saved: an auth server an earlier version saved from authinfo is checked too (sync, not only the test)', async () => {
    const error = await failure(adapter({ authUrl: `${collector.url}/x` }).listPage('company', { pageToken: null, since: null, companyRemoteIds: null }));
    expect(error).toMatchObject({ code: 'config', field: 'authServer' });
    expect(collector.received).toEqual([]);
    expect(halo.control.requests()).toEqual([]);
  });

  it('typed: the same server typed in the form is granted with the integration and used', async () => {
    halo.control.setAuthUrl(`${collector.url}/x`);
    const creds = halo.credentials.valid;
    const parsed = haloForm.parse({
      resourceServer: halo.baseUrl,
      tenant: creds.tenant ?? '',
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      authServer: `${collector.url}/x`,
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    // The options page asks host permission for exactly these, so the typed origin is one the person granted.
    expect(parsed.value.origins).toEqual([halo.baseUrl, collector.url]);
    const info = await adapter(parsed.value.settings as HaloSettings).testConnection();
    expect(info.companyName).toBeTruthy();
    expect(collector.received.map((entry) => `${entry.method} ${entry.url.split('?')[0]}`)).toEqual(['POST /x/token']);
    expect(collector.received[0]!.body).toContain(`client_secret=${encodeURIComponent(creds.clientSecret)}`);
  });

  it('redirects: a token endpoint redirecting elsewhere does not get the secret re-posted; GETs are not followed either', async () => {
    halo.control.injectFault({ method: 'POST', path: '/auth/token', status: 307, headers: { Location: `${collector.url}/x/token` }, body: '' });
    const error = await failure(adapter().testConnection());
    expect(error).toMatchObject({ code: 'config', field: 'authServer' });
    expect(error!.message).toMatch(/redirected the token request to http:\/\/127\.0\.0\.1:\d+\/x\/token/);
    expect(collector.received).toEqual([]);

    halo.control.injectFault({ method: 'GET', path: '/api/authinfo', status: 302, headers: { Location: `${collector.url}/api/authinfo` }, body: '' });
    expect(await failure(adapter().testConnection())).toMatchObject({
      code: 'config',
      field: 'resourceServer',
      message: expect.stringMatching(/redirected Sidecar to/),
    });
    halo.control.injectFault({ method: 'GET', path: '/api/Client', status: 302, headers: { Location: `${collector.url}/api/Client` }, body: '' });
    expect(await failure(adapter().listPage('company', { pageToken: null, since: null, companyRemoteIds: null }))).toMatchObject({ code: 'config' });
    expect(collector.received).toEqual([]);
  });
});

describe('Halo authorisation server behind a real host name (https, not loopback)', () => {
  const resource = 'https://acme.halopsa.example';
  let hosted: RunningHaloEmulator;
  let routes: ReturnType<typeof routedFetch>;

  beforeAll(async () => {
    hosted = await startHaloEmulator({ preset: 'tiny', rateLimit: null, publicBaseUrl: resource });
    tokenEndpoint = () => `${hosted.localUrl}/auth/token`;
  });
  afterAll(async () => {
    tokenEndpoint = () => `${halo.localUrl}/auth/token`;
    await hosted.close();
  });
  beforeEach(() => {
    hosted.control.setAuthUrl(null);
    hosted.control.resetRequestLog();
    // The same server answers on http too, and collector.example is the attacker's.
    routes = routedFetch({
      [resource]: hosted.localUrl,
      'http://acme.halopsa.example': hosted.localUrl,
      'http://collector.example': collector.url,
      'https://login.example.net': collector.url,
    });
  });
  const hostedAdapter = (settings: Partial<HaloSettings> = {}) =>
    new HaloAdapter({
      settings: { resourceOrigin: resource, tenant: hosted.credentials.valid.tenant, ...settings },
      credentials: { clientId: hosted.credentials.valid.clientId, clientSecret: hosted.credentials.valid.clientSecret },
      retries: 0,
      timeoutMs: 5000,
      fetch: routes.fetch,
    });

  it('same origin over https works', async () => {
    const info = await hostedAdapter().testConnection();
    expect(info.settingsPatch).toEqual({ authUrl: `${resource}/auth` });
    expect(routes.asked.filter((line) => line.startsWith('POST'))).toEqual([`POST ${resource}/auth/token?tenant=sidecartest`]);
  });

  it('http: an http:// auth server for an https resource is refused, even on the same host', async () => {
    hosted.control.setAuthUrl('http://acme.halopsa.example/auth');
    const error = await failure(hostedAdapter().testConnection());
    expect(error).toMatchObject({ code: 'config', field: 'authServer' });
    expect(error!.message).toMatch(/http:\/\/acme\.halopsa\.example\/auth as its authorisation server, which is not https/);
    expect(routes.asked).toEqual([`GET ${resource}/api/authinfo`]);
    expect(tokenPosts(hosted)).toEqual([]);
  });

  it('foreign: the issue’s http://collector.example/x gets nothing', async () => {
    hosted.control.setAuthUrl('http://collector.example/x');
    expect(await failure(hostedAdapter().testConnection())).toMatchObject({ code: 'config', field: 'authServer' });
    expect(routes.asked).toEqual([`GET ${resource}/api/authinfo`]);
    expect(collector.received).toEqual([]);
  });

  it('foreign over https is refused until typed; typed, it is used', async () => {
    hosted.control.setAuthUrl('https://login.example.net/auth');
    const error = await failure(hostedAdapter().testConnection());
    expect(error!.message).toMatch(
      /names https:\/\/login\.example\.net\/auth as its authorisation server, which is not on acme\.halopsa\.example.*If you trust login\.example\.net, type https:\/\/login\.example\.net\/auth in "Authorisation server"/,
    );
    expect(collector.received).toEqual([]);
    const info = await hostedAdapter({ authServer: 'https://login.example.net/auth' }).testConnection();
    expect(info.settingsPatch).toEqual({ authUrl: 'https://login.example.net/auth' });
    expect(collector.received.map((entry) => `${entry.method} ${entry.url}`)).toEqual(['POST /auth/token?tenant=sidecartest']);
  });
});

describe('the options page sees the refusal at "Authorisation server"', () => {
  let db: SidecarDb;
  let vault: Vault;
  beforeEach(() => {
    db = new SidecarDb(`halo-auth-${Math.random()}`);
    vault = new Vault({ db, session: memoryKeyStore(), iterations: 1000 });
  });
  afterEach(() => db.delete());

  it('save, then test: the reply names the field, the row records the failure, the foreign server is not saved', async () => {
    halo.control.setAuthUrl(`${collector.url}/x`);
    const creds = halo.credentials.valid;
    const form = { resourceServer: halo.baseUrl, tenant: creds.tenant ?? '', clientId: creds.clientId, clientSecret: creds.clientSecret, authServer: '' };
    const { integration } = await saveIntegration({ db, vault, hasHostPermission: async () => true }, { psa: 'halo', form });
    expect(integration.origins).toEqual([halo.baseUrl]);
    const adapterFor = async (id: string) =>
      createAdapter((await db.integrations.get(id))!, await readCredentials(db, vault, id), { pacing: false, retries: 0, timeoutMs: 5000 });
    const route = createRouter(
      { 'integration.test': (request: { integrationId: string }) => testIntegration(db, request.integrationId, adapterFor) } as unknown as Handlers,
      () => ({ id: 'sidecar', origin: 'chrome-extension://sidecar' }),
    );
    const reply = await route(
      { channel: 'integration.test', payload: { integrationId: integration.id } },
      { id: 'sidecar', origin: 'chrome-extension://sidecar', url: 'chrome-extension://sidecar/options.html' },
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'config', fields: { authServer: expect.stringContaining(`${collector.url}/x`) } } });
    const row = await db.integrations.get(integration.id);
    expect(row?.connection).toMatchObject({ ok: false, code: 'config' });
    expect(row?.settings).not.toHaveProperty('authUrl');
    expect(collector.received).toEqual([]);
  });
});

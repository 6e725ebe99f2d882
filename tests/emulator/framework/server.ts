import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from './control-http.ts';
import { sleep } from './core.ts';
import type { EmulatorCore } from './core.ts';
import { altersResponse, applyFault, replacesResponse } from './faults.ts';
import type { PsaModule } from './module.ts';
import type { EmuContext, EmuRequest, EmuResponse } from './types.ts';

export interface ServerOptions {
  host: string;
  port: number;
  publicBaseUrl?: string;
  core: EmulatorCore;
  module: PsaModule;
}

export interface StartedServer {
  baseUrl: string;
  /** Where the socket actually listens (differs from baseUrl when publicBaseUrl is set). */
  localUrl: string;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<StartedServer> {
  let baseUrl = '';
  const server = createServer((req, res) => {
    serve(req, res, opts, baseUrl).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`emulator error: ${err instanceof Error ? err.stack : String(err)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const localUrl = `http://${host}:${addr.port}`;
  baseUrl = (opts.publicBaseUrl ?? localUrl).replace(/\/+$/, '');
  return {
    baseUrl,
    localUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function serve(req: IncomingMessage, res: ServerResponse, opts: ServerOptions, baseUrl: string): Promise<void> {
  const { core, module } = opts;
  const arrived = performance.now();
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const emuReq: EmuRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    url,
    pathname: url.pathname,
    headers: req.headers,
    body: await readBody(req),
  };
  const ctx: EmuContext = { baseUrl, now: core.clock.now() };

  if (url.pathname.startsWith('/__emulator/')) {
    send(res, await handleControl(emuReq, core, module, baseUrl));
    return;
  }

  const isApi = module.isApiRequest(url.pathname);
  const response = await pipeline(emuReq, ctx, opts, isApi);
  core.clock.observe();
  core.log.add({
    method: emuReq.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    // 0: no answer was sent (a hung or dropped connection).
    status: typeof response === 'string' ? 0 : response.status,
    at: new Date().toISOString(),
    ms: Math.round((performance.now() - arrived) * 10) / 10,
  });
  if (response === 'hang') return; // the client times out; close() ends the socket
  if (response === 'reset') {
    res.socket?.destroy();
    return;
  }
  send(res, response);
}

async function pipeline(req: EmuRequest, ctx: EmuContext, opts: ServerOptions, isApi: boolean): Promise<EmuResponse | 'hang' | 'reset'> {
  const { core, module } = opts;
  if (isApi) await sleep(core.latencyMs);
  const fault = core.faults.take(req.method, req.pathname, req.url.searchParams);
  if (fault?.delayMs) await sleep(fault.delayMs);
  fault?.effect?.(req);
  if (fault?.hang) return 'hang';
  if (fault?.reset) return 'reset';
  if (fault && replacesResponse(fault)) return applyFault(fault, null, req);
  if (isApi) {
    const retryAfter = core.rateLimiter.take(Date.now());
    if (retryAfter !== null) return module.rateLimited(retryAfter, ctx);
  }
  const real = (await module.handle(req, ctx)) ?? {
    status: 404,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: '<html><body><h1>404 - File or directory not found.</h1></body></html>',
  };
  if (fault?.hangAfterHandling) return 'hang';
  return fault && altersResponse(fault) ? applyFault(fault, real, req) : real;
}

function send(res: ServerResponse, r: EmuResponse): void {
  res.writeHead(r.status, r.headers ?? {});
  res.end(r.body ?? '');
}

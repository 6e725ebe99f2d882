import type { EmulatorCore } from './core.ts';
import type { FaultSpec } from './faults.ts';
import type { PsaModule } from './module.ts';
import { jsonResponse } from './types.ts';
import type { EmuRequest, EmuResponse } from './types.ts';

/**
 * `/__emulator/...`: the same controls as the in-process API, for an emulator started by the
 * CLI (demo, e2e). Not subject to latency, faults, rate limits or the request log.
 */
export async function handleControl(req: EmuRequest, core: EmulatorCore, module: PsaModule, baseUrl: string): Promise<EmuResponse> {
  const route = `${req.method} ${req.pathname.replace(/\/+$/, '')}`;
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = req.body ? JSON.parse(req.body) : {};
    body = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return jsonResponse(400, { error: 'body must be JSON' });
  }
  try {
    switch (route) {
      case 'GET /__emulator/state':
        return jsonResponse(200, {
          psa: module.psa,
          baseUrl,
          now: core.clock.now().toISOString(),
          latencyMs: core.latencyMs,
          rateLimit: core.rateLimiter.get(),
          faults: core.faults.count(),
          ...module.state(),
        });
      case 'POST /__emulator/mutate':
        return jsonResponse(200, { ok: true, result: module.mutateHttp(body) ?? null });
      case 'POST /__emulator/faults':
        core.faults.add(faultFromJson(body));
        return jsonResponse(200, { ok: true, faults: core.faults.count() });
      case 'DELETE /__emulator/faults':
        core.faults.clear();
        return jsonResponse(200, { ok: true });
      case 'POST /__emulator/latency':
        core.latencyMs = Number(body.ms ?? body.latencyMs ?? 0);
        return jsonResponse(200, { ok: true, latencyMs: core.latencyMs });
      case 'POST /__emulator/rate-limit': {
        const limit = body.limit;
        core.rateLimiter.set(typeof limit === 'number' ? { limit, windowMs: Number(body.windowMs ?? 60_000) } : null);
        return jsonResponse(200, { ok: true, rateLimit: core.rateLimiter.get() });
      }
      case 'POST /__emulator/clock':
        core.clock.setNow(body.now === null || body.now === undefined ? null : String(body.now));
        return jsonResponse(200, { ok: true, now: core.clock.now().toISOString() });
      case 'GET /__emulator/requests':
        return jsonResponse(200, core.log.list());
      case 'DELETE /__emulator/requests':
        core.log.reset();
        return jsonResponse(200, { ok: true });
      default:
        return jsonResponse(404, { error: `unknown control endpoint ${route}` });
    }
  } catch (err) {
    return jsonResponse(400, { error: err instanceof Error ? err.message : String(err) });
  }
}

/** JSON has no RegExp or functions: `pathRegex` (string) becomes a case-insensitive RegExp; `effect` and `transform` are in-process only. */
function faultFromJson(b: Record<string, unknown>): FaultSpec {
  const spec: FaultSpec = {};
  if (typeof b.method === 'string') spec.method = b.method;
  if (typeof b.pathRegex === 'string') spec.path = new RegExp(b.pathRegex, 'i');
  else if (typeof b.path === 'string') spec.path = b.path;
  if (typeof b.status === 'number') spec.status = b.status;
  if (b.body !== undefined) spec.body = b.body;
  if (b.headers && typeof b.headers === 'object') spec.headers = b.headers as Record<string, string>;
  if (typeof b.delayMs === 'number') spec.delayMs = b.delayMs;
  if (b.malformed === 'truncated' || b.malformed === 'non-json' || b.malformed === 'html') spec.malformed = b.malformed;
  if (b.query && typeof b.query === 'object')
    spec.query = Object.fromEntries(Object.entries(b.query as Record<string, unknown>).map(([k, v]) => [k, v === null ? null : String(v)]));
  if (b.hang === true) spec.hang = true;
  if (b.reset === true) spec.reset = true;
  if (b.hangAfterHandling === true) spec.hangAfterHandling = true;
  if (typeof b.times === 'number') spec.times = b.times;
  else if (b.times === null || b.times === 'Infinity') spec.times = Infinity;
  return spec;
}

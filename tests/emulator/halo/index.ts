import type { Clock } from '../framework/clock.ts';
import type { PsaModule } from '../framework/module.ts';
import type { RateLimitConfig } from '../framework/rate-limit.ts';
import { jsonResponse } from '../framework/types.ts';
import { createApi, isApiPath } from './api.ts';
import { TENANT, TokenService } from './auth.ts';
import type { HaloCredentialSets } from './auth.ts';
import { generateDataset } from './dataset.ts';
import type { Preset } from './dataset.ts';
import { parseHaloDate } from './dates.ts';
import { HaloMutator } from './mutations.ts';
import { rateLimitMessage } from './rate-limit.ts';
import { HALO_ENTITIES } from './store.ts';
import type { HaloEntity, HaloStore } from './store.ts';
import { handleUi } from './ui.ts';

export interface HaloOptions {
  preset?: Preset;
  seed?: number;
  /** Instant the generated data is "as of" (default fixed, see dataset.ts). */
  dataAnchor?: string | Date;
  /** Hosted (tenant required on /auth/token, authinfo has tenant_id) or self-hosted. Default true. */
  hosted?: boolean;
  /** `expires_in` of access tokens (default 3600). */
  tokenLifetimeSec?: number;
  /** Status for an unknown tenant on /auth/token: 400 (invalid_request, default) or 401 (invalid_client). */
  wrongTenantStatus?: 400 | 401;
  /** A new token revokes the client's earlier ones (djpsa's suspicion, docs/psa/halo.md#token-response). Default false. */
  newTokenRevokesOld?: boolean;
  /** 429 body: Halo's plain-text message (default) or the same message as a JSON error object. */
  rateLimitBody?: 'text' | 'json';
  /** Client list rows also carry `website` and `mainsite_address` (newer Halo, docs/psa/halo.md#clients). Default false: the April 2025 `Area_List`. */
  newerClientList?: boolean;
  /** Send Retry-After with 429 (default true; Halo's behaviour is unverified, docs/psa/halo.md#rate-limits). */
  retryAfterHeader?: boolean;
  /** The active rate-limit config, for the wording of the 429 message. */
  rateLimitConfig?: () => RateLimitConfig | null;
}

export interface HaloInstance {
  module: PsaModule;
  data: HaloStore;
  credentials: HaloCredentialSets;
  mutator: HaloMutator;
  tokens: TokenService;
  /** Make /api/authinfo (and InstanceInfo) name another authorisation server; null = this server's own /auth. */
  setAuthUrl(url: string | null): void;
}

function entityOf(v: unknown): HaloEntity {
  if (typeof v === 'string' && (HALO_ENTITIES as readonly string[]).includes(v)) return v as HaloEntity;
  throw new Error(`entity must be one of ${HALO_ENTITIES.join(', ')}`);
}

export function createHalo(opts: HaloOptions, clock: Clock): HaloInstance {
  const preset = opts.preset ?? 'tiny';
  const seed = opts.seed ?? 1;
  const hosted = opts.hosted ?? true;
  const data = generateDataset({ preset, seed, anchor: opts.dataAnchor });
  // Mutations must land after every generated timestamp, even if the real clock is earlier.
  let maxUpdated = 0;
  for (const [table, field] of [
    [data.clients, 'alastupdate'],
    [data.sites, 'slastupdate'],
    [data.users, 'ulastupdate'],
    [data.assets, 'dlastupdate'],
    [data.contracts, 'last_modified'],
    [data.tickets, 'last_update'],
  ] as const)
    for (const r of table.rows) {
      const ms = parseHaloDate(r[field]);
      if (ms > maxUpdated) maxUpdated = ms;
    }
  clock.observe(maxUpdated);

  const tokens = new TokenService(
    {
      hosted,
      tokenLifetimeSec: opts.tokenLifetimeSec ?? 3600,
      wrongTenantStatus: opts.wrongTenantStatus ?? 400,
      newTokenRevokesOld: opts.newTokenRevokesOld ?? false,
    },
    clock,
  );
  const credentials = tokens.credentials;
  // A Halo may name an authorisation server anywhere (a separate host, or one an attacker answers with).
  let authUrl: string | undefined;
  const setAuthUrl = (url: string | null) => {
    authUrl = url === null ? undefined : new URL(url).href.replace(/\/+$/, '');
  };
  const api = createApi({ store: data, tokens, clock, hosted, authUrl: () => authUrl, newerClientList: opts.newerClientList });
  const mutator = new HaloMutator(data, clock, () => api.cache.invalidate());

  const module: PsaModule = {
    psa: 'halo',
    isApiRequest: isApiPath,
    handle: (req, ctx) => api.handle(req, ctx) ?? handleUi(req, ctx, data, api.serializer),
    rateLimited: (retryAfter) => {
      const message = rateLimitMessage(opts.rateLimitConfig?.() ?? null);
      const headers: Record<string, string> = opts.retryAfterHeader === false ? {} : { 'Retry-After': String(retryAfter) };
      if (opts.rateLimitBody === 'json') return jsonResponse(429, { ClassName: 'System.Exception', Message: message }, headers);
      return { status: 429, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body: message };
    },
    mutateHttp: (b) => {
      const id = Number(b.id);
      switch (b.op) {
        case 'rename':
          return mutator.rename(entityOf(b.entity), id, String(b.name));
        case 'renameClient':
          return mutator.rename('client', id, String(b.name));
        case 'remove':
          return mutator.remove(entityOf(b.entity), id);
        case 'add':
          return mutator.add(entityOf(b.entity), (b.record ?? {}) as Record<string, unknown>);
        case 'update':
          return mutator.update(entityOf(b.entity), id, (b.patch ?? {}) as Record<string, unknown>);
        case 'setInactive':
          return mutator.setInactive(entityOf(b.entity), id, b.inactive !== false);
        case 'changeAssetType':
          return mutator.changeAssetType(id, typeof b.typeId === 'number' ? b.typeId : String(b.typeName ?? b.type));
        case 'expireTokens':
          tokens.expireAll();
          return { expired: true };
        case 'revokeCredentials':
          tokens.revoke(b.name === 'limited' || b.name === 'restricted' || b.name === 'readonly' ? b.name : 'valid');
          return { revoked: true };
        case 'setAuthUrl':
          setAuthUrl(typeof b.url === 'string' ? b.url : null);
          return { authUrl: authUrl ?? null };
        default:
          throw new Error(
            'op must be rename | renameClient | remove | add | update | setInactive | changeAssetType | expireTokens | revokeCredentials | setAuthUrl',
          );
      }
    },
    state: () => ({
      preset,
      seed,
      hosted,
      tenant: hosted ? TENANT : null,
      tokenLifetimeSec: tokens.options.tokenLifetimeSec,
      tokensIssued: tokens.issuedCount(),
      authUrl: authUrl ?? null,
      counts: data.counts(),
      credentials,
    }),
  };
  return { module, data, credentials, mutator, tokens, setAuthUrl };
}

import type { Clock } from '../framework/clock.ts';
import type { PsaModule } from '../framework/module.ts';
import { createApi, isApiPath, tooManyRequests } from './api.ts';
import { CREDENTIALS, TokenService } from './auth.ts';
import type { BmsCredentialSets } from './auth.ts';
import { seedBilling } from './billing-data.ts';
import { generateDataset } from './dataset.ts';
import type { Preset } from './dataset.ts';
import { BmsMutator } from './mutations.ts';
import { DEFAULT_MAX_PAGE_SIZE } from './query.ts';
import { EndpointRateLimiter } from './rate-limit.ts';
import type { BmsEntity, BmsStore } from './store.ts';
import { createUi } from './ui.ts';
import { parseBmsDate } from './wire.ts';

export interface KaseyaBmsOptions {
  preset?: Preset;
  seed?: number;
  /** Instant the generated data is "as of" (default fixed, see dataset.ts). */
  dataAnchor?: string | Date;
  /** Access-token lifetime (default 20 min [G]; docs/psa/kaseya-bms.md#token-lifetime-and-expiry). */
  tokenLifetimeSec?: number;
  /** Refresh-token lifetime (default 7 days [G]). */
  refreshTokenLifetimeSec?: number;
  /** PageSize cap (default 500 [G]; the real maximum is unpublished). */
  maxPageSize?: number;
  /** Business failures (bad login, not found, no API access) as HTTP 200 + success:false (default: HTTP status + envelope). */
  businessErrorsAsHttp200?: boolean;
  /** Where "Has API Access" is enforced: 'authenticate' (default) or 'request' (token issued, data calls 403). */
  apiAccessCheck?: 'authenticate' | 'request';
  /** Rate-limit counter per route template (default) or per concrete path. */
  rateLimitKey?: 'template' | 'path';
  /** React pages server-rendered (default true) or an empty shell filled by the script. */
  reactSsr?: boolean;
  reactRenderDelayMs?: number;
  /**
   * Serve the guessed update of a contract's service, `PATCH`/`PUT
   * /v2/finance/contracts/recurringservices/{contractId}/services/{id}` (default true [G]: not in
   * the spec, see docs/psa/kaseya-bms.md#billing-counts); false answers them like any unknown route.
   */
  contractServiceUpdates?: boolean;
  /** The per-endpoint limiter (start.ts shares it with the emulator core); default: 1500/h. */
  rateLimiter?: EndpointRateLimiter;
}

export interface KaseyaBmsInstance {
  module: PsaModule;
  data: BmsStore;
  credentials: BmsCredentialSets;
  mutator: BmsMutator;
  tokens: TokenService;
  limiter: EndpointRateLimiter;
}

const ENTITIES: readonly BmsEntity[] = ['account', 'location', 'contact', 'contract', 'asset', 'ticket'];

function entityOf(v: unknown): BmsEntity {
  if (typeof v === 'string' && (ENTITIES as readonly string[]).includes(v)) return v as BmsEntity;
  throw new Error(`entity must be one of ${ENTITIES.join(', ')}`);
}

export function createKaseyaBms(opts: KaseyaBmsOptions, clock: Clock): KaseyaBmsInstance {
  const preset = opts.preset ?? 'tiny';
  const seed = opts.seed ?? 1;
  const data = generateDataset({ preset, seed, anchor: opts.dataAnchor });
  seedBilling(data, preset);
  // Mutations must land after every generated timestamp, even if the real clock is earlier.
  let latest = 0;
  for (const rows of [data.accounts.rows, data.contacts.rows, data.assets.rows, data.tickets.rows])
    for (const r of rows) {
      const t = r.modifiedOn ? parseBmsDate(r.modifiedOn) : 0;
      if (t > latest) latest = t;
    }
  clock.observe(latest);

  const credentials = CREDENTIALS;
  const tokens = new TokenService(opts.tokenLifetimeSec, opts.refreshTokenLifetimeSec);
  const limiter = opts.rateLimiter ?? new EndpointRateLimiter();
  const api = createApi({
    store: data,
    tokens,
    limiter,
    clock,
    maxPageSize: opts.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE,
    businessErrorsAsHttp200: opts.businessErrorsAsHttp200 ?? false,
    apiAccessCheck: opts.apiAccessCheck ?? 'authenticate',
    rateLimitKey: opts.rateLimitKey ?? 'template',
    contractServiceUpdates: opts.contractServiceUpdates ?? true,
  });
  const ui = createUi({ store: data, tokens, clock, reactSsr: opts.reactSsr ?? true, reactRenderDelayMs: opts.reactRenderDelayMs ?? 0 });
  const mutator = new BmsMutator(data, clock);

  const module: PsaModule = {
    psa: 'kaseya-bms',
    isApiRequest: isApiPath,
    handle: (req, ctx) => api.handle(req, ctx) ?? ui.handle(req),
    rateLimited: (retryAfter) => {
      const c = limiter.get();
      return tooManyRequests(retryAfter, c?.limit ?? 0, c?.windowMs ?? 3_600_000);
    },
    mutateHttp: (b) => {
      const id = Number(b.id);
      switch (b.op) {
        case 'renameAccount':
          return mutator.renameAccount(id, String(b.name));
        case 'rename':
          return mutator.rename(entityOf(b.entity), id, String(b.name));
        case 'remove':
          return mutator.remove(entityOf(b.entity), id);
        case 'add':
          return mutator.add(entityOf(b.entity), (b.record ?? {}) as Record<string, unknown>);
        case 'update':
          return mutator.update(entityOf(b.entity), id, (b.patch ?? {}) as Record<string, unknown>);
        case 'changeAssetType':
          return mutator.changeAssetType(id, String(b.categoryName ?? b.typeName));
        case 'expireTokens':
          tokens.expireAll({ refresh: b.refresh === true });
          return { expired: true };
        case 'revokeCredentials':
          tokens.revokeUser(typeof b.userName === 'string' ? b.userName : credentials.valid.userName);
          return { revoked: true };
        default:
          throw new Error('op must be renameAccount | rename | remove | add | update | changeAssetType | expireTokens | revokeCredentials');
      }
    },
    state: () => ({ preset, seed, counts: data.counts(), credentials, tokens: tokens.counts(), rateLimitUsage: limiter.usage() }),
  };
  return { module, data, credentials, mutator, tokens, limiter };
}

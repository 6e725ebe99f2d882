import type { Clock } from '../framework/clock.ts';
import { isoSeconds } from '../framework/clock.ts';
import type { PsaModule } from '../framework/module.ts';
import { createApi, isApiPath } from './api.ts';
import { CREDENTIALS } from './auth.ts';
import type { CwCredentialSets } from './auth.ts';
import { generateDataset } from './dataset.ts';
import type { Preset } from './dataset.ts';
import { cwHeaders } from './errors.ts';
import { CwMutator } from './mutations.ts';
import type { CwEntity, CwStore } from './store.ts';
import { handleUi } from './ui.ts';

export interface ConnectwiseOptions {
  preset?: Preset;
  seed?: number;
  /** Instant the generated data is "as of" (default fixed, see dataset.ts). */
  dataAnchor?: string | Date;
  systemInfoRequiresAuth?: boolean;
}

export interface ConnectwiseInstance {
  module: PsaModule;
  data: CwStore;
  credentials: CwCredentialSets;
  mutator: CwMutator;
  /** Revoke an API member's keys (deleted or regenerated in ConnectWise): every request with them answers 401. */
  revokeCredentials(name?: keyof CwCredentialSets): void;
}

const ENTITIES: readonly CwEntity[] = ['company', 'contact', 'configuration', 'agreement', 'site', 'ticket'];

function entityOf(v: unknown): CwEntity {
  if (typeof v === 'string' && (ENTITIES as readonly string[]).includes(v)) return v as CwEntity;
  throw new Error(`entity must be one of ${ENTITIES.join(', ')}`);
}

export function createConnectwise(opts: ConnectwiseOptions, clock: Clock): ConnectwiseInstance {
  const preset = opts.preset ?? 'tiny';
  const seed = opts.seed ?? 1;
  const data = generateDataset({ preset, seed, anchor: opts.dataAnchor });
  // Mutations must land after every generated timestamp, even if the real clock is earlier.
  let maxUpdated = 0;
  for (const t of [data.companies, data.contacts, data.configurations, data.agreements, data.sites, data.tickets, data.projectTickets])
    for (const r of t.rows) {
      const ms = Date.parse(r._info.lastUpdated ?? '');
      if (ms > maxUpdated) maxUpdated = ms;
    }
  clock.observe(maxUpdated);

  const credentials = CREDENTIALS;
  const revoked = new Set<keyof CwCredentialSets>();
  const api = createApi({
    store: data,
    credentials,
    companyName: 'Sidecar Test MSP',
    systemInfoRequiresAuth: opts.systemInfoRequiresAuth,
    revoked,
    stamp: () => isoSeconds(clock.stamp()),
  });
  const mutator = new CwMutator(data, clock, () => api.cache.invalidate());

  const module: PsaModule = {
    psa: 'connectwise',
    isApiRequest: isApiPath,
    handle: (req, ctx) => api.handle(req, ctx) ?? handleUi(req, data),
    rateLimited: (retryAfter) => ({
      status: 429,
      // Note the different shape (`error`, not `code`) documented for throttling (docs/psa/connectwise.md#rate-limits).
      headers: cwHeaders({ 'Retry-After': String(retryAfter) }),
      body: JSON.stringify({ error: 'ConnectWiseAPI', message: `Too many requests. Please try again in ${retryAfter} seconds.` }),
    }),
    mutateHttp: (b) => {
      const id = Number(b.id);
      switch (b.op) {
        case 'renameCompany':
          return mutator.renameCompany(id, String(b.name));
        case 'rename':
          return mutator.rename(entityOf(b.entity), id, String(b.name));
        case 'remove':
          return mutator.remove(entityOf(b.entity), id);
        case 'add':
          return mutator.add(entityOf(b.entity), (b.record ?? {}) as Record<string, unknown>);
        case 'update':
          return mutator.update(entityOf(b.entity), id, (b.patch ?? {}) as Record<string, unknown>);
        case 'changeConfigurationType':
          return mutator.changeConfigurationType(id, String(b.typeName));
        case 'revokeCredentials':
          revoked.add(b.name === 'limited' ? 'limited' : 'valid');
          return { revoked: [...revoked] };
        default:
          throw new Error('op must be renameCompany | rename | remove | add | update | changeConfigurationType | revokeCredentials');
      }
    },
    state: () => ({ preset, seed, counts: data.counts(), credentials }),
  };
  return { module, data, credentials, mutator, revokeCredentials: (name = 'valid') => void revoked.add(name) };
}

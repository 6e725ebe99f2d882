import type { z } from 'zod';
import type { PsaFormSpec } from './form';
import type { Pacer, RateLimit } from './pacing';
import type { EntityKind, PsaAdapter, PsaKind } from './types';

/** Per entity: records per request, and what the list holds as a person would say it ("assets"). */
export type PacedWholeLists = Partial<Record<EntityKind, { pageSize: number; noun: string }>>;

/** How an adapter talks to its PSA: transport options and the pacer createAdapter built. */
export interface AdapterConnection {
  fetch?: typeof fetch;
  timeoutMs?: number;
  retries?: number;
  pacer?: Pacer;
}

/**
 * Everything the background and the options page need to know about one PSA; each
 * lib/psa/<kind>/index.ts exports one, ./all.ts lists them and the registries only loop. Its page
 * part (lib/psa/<kind>/pages.ts) is listed apart, in ./pages.ts, and not referenced from here:
 * the content script must not carry adapters, and the background does not need detectors.
 */
export interface PsaDescriptor<K extends string = PsaKind> {
  readonly kind: K;
  /** As the options page names it. */
  readonly title: string;
  readonly form: PsaFormSpec<K>;
  /** The vendor's documented API limit, which syncs keep a share of (./pacing.ts). */
  readonly rateLimit: RateLimit;
  /** Lists read whole only as often as that share allows (the adapter's `pacedWhole` capabilities), as the options page explains them. */
  readonly pacedWholeLists?: PacedWholeLists;
  readonly settingsSchema: z.ZodType<unknown>;
  readonly credentialsSchema: z.ZodType<unknown>;
  /**
   * The adapter for saved settings and credentials as stored (untrusted: parsed with the
   * schemas above), or undefined when they do not parse.
   */
  adapterFor(settings: unknown, credentials: unknown, connection: AdapterConnection): PsaAdapter<K> | undefined;
  /**
   * The PSA tenant saved settings point at, the same on every install and across re-adding the
   * integration (an integration's id is neither): what documentation about a PSA record is keyed
   * by when the team shares it. Undefined when the settings do not parse.
   */
  sourceKeyFor(settings: unknown): string | undefined;
}

/** What a PSA declares; `definePsa` keeps its settings and credentials types inside the descriptor. */
export interface PsaDefinition<K extends string, Settings, Credentials> {
  kind: K;
  form: PsaFormSpec<K>;
  rateLimit: RateLimit;
  pacedWholeLists?: PacedWholeLists;
  settingsSchema: z.ZodType<Settings>;
  credentialsSchema: z.ZodType<Credentials>;
  createAdapter(options: { settings: Settings; credentials: Credentials } & AdapterConnection): PsaAdapter<K>;
  /** The tenant's key after the kind (lower case; host plus whatever tells tenants on one host apart). */
  tenantKey(settings: Settings): string;
}

export function definePsa<K extends string, Settings, Credentials>(definition: PsaDefinition<K, Settings, Credentials>): PsaDescriptor<K> {
  const { createAdapter, tenantKey, ...described } = definition;
  return {
    ...described,
    title: definition.form.title,
    adapterFor(settings, credentials, connection) {
      const parsedSettings = definition.settingsSchema.safeParse(settings);
      const parsedCredentials = definition.credentialsSchema.safeParse(credentials);
      if (!parsedSettings.success || !parsedCredentials.success) return undefined;
      return createAdapter({ settings: parsedSettings.data, credentials: parsedCredentials.data, ...connection });
    },
    sourceKeyFor(settings) {
      const parsed = definition.settingsSchema.safeParse(settings);
      return parsed.success ? `${definition.kind}:${tenantKey(parsed.data)}` : undefined;
    },
  };
}

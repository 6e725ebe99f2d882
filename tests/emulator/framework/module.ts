import type { Clock } from './clock.ts';
import type { EmuContext, EmuRequest, EmuResponse } from './types.ts';

/** What a PSA emulator (connectwise/, later halo/, kaseya-bms/) plugs into the shared server. */
export interface PsaModule {
  readonly psa: string;
  /** API requests get latency and rate limiting; UI pages and assets do not. */
  isApiRequest(pathname: string): boolean;
  /** null = not handled (the server answers a plain 404). */
  handle(req: EmuRequest, ctx: EmuContext): EmuResponse | null | Promise<EmuResponse | null>;
  /** The PSA's own 429 answer. */
  rateLimited(retryAfterSec: number, ctx: EmuContext): EmuResponse;
  /** `POST /__emulator/mutate` body → result (throws Error on bad input). */
  mutateHttp(body: Record<string, unknown>): unknown;
  /** Counts, credentials etc. for `GET /__emulator/state`. */
  state(): Record<string, unknown>;
}

export type PsaModuleFactory<O> = (options: O, clock: Clock) => PsaModule;

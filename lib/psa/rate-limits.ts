import { PSA_DESCRIPTORS } from './all';
import type { PsaKind } from './kinds';
import type { PacedWholeLists } from './descriptor';
import type { RateLimit } from './pacing';

// Apart from the pacer (./pacing.ts) because these read the descriptor list, which imports the
// adapters, which import the pacer.

/** The vendors' documented limits, from each PSA's descriptor (lib/psa/<kind>/index.ts). */
export const VENDOR_LIMITS = Object.fromEntries(PSA_DESCRIPTORS.map((descriptor) => [descriptor.kind, descriptor.rateLimit])) as Readonly<
  Record<PsaKind, RateLimit>
>;

/** The lists each PSA reads whole only as often as the share allows (the options page says so). */
export const PACED_WHOLE_LISTS = Object.fromEntries(PSA_DESCRIPTORS.map((descriptor) => [descriptor.kind, descriptor.pacedWholeLists ?? {}])) as Readonly<
  Record<PsaKind, PacedWholeLists>
>;

declare const __SIDECAR_RATE_TIMESCALE__: number | undefined;
/**
 * 1 in every build but the benchmark's (SIDECAR_BENCH_TIMESCALE with SIDECAR_E2E, wxt.config.ts):
 * there the vendors' windows are compressed, as in the bench's emulators, so that BMS's hourly
 * window fits a run.
 */
const RATE_TIMESCALE = typeof __SIDECAR_RATE_TIMESCALE__ === 'number' ? __SIDECAR_RATE_TIMESCALE__ : 1;

/** The vendor's documented limit for this PSA, as the running build paces against it. */
export function vendorLimit(psa: PsaKind, timescale = RATE_TIMESCALE): RateLimit {
  const limit: RateLimit = VENDOR_LIMITS[psa];
  return timescale === 1 ? limit : { ...limit, windowMs: limit.windowMs / timescale };
}

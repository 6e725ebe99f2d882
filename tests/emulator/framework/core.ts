import { Clock } from './clock.ts';
import { FaultList } from './faults.ts';
import { RateLimiter } from './rate-limit.ts';
import { RequestLog } from './request-log.ts';

/** The steerable state shared by the HTTP pipeline and the in-process `control` API. */
export class EmulatorCore {
  readonly clock = new Clock();
  readonly faults = new FaultList();
  readonly rateLimiter = new RateLimiter();
  readonly log = new RequestLog();
  latencyMs = 0;
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

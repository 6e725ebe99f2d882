import { PsaError, type PsaErrorCode } from './errors';

/** One small read the sync depends on, and what the user must grant when it is refused. */
export interface AccessProbe {
  path: string;
  /** The right or module, as the PSA's admin screens name it. */
  what: string;
}

/**
 * Runs every probe and returns what was refused, so a connection test names every missing right
 * at once instead of the sync failing on them one by one. Any other failure is thrown as is.
 */
export async function missingAccess(
  probes: readonly AccessProbe[],
  read: (path: string) => Promise<unknown>,
  refusedCodes: readonly PsaErrorCode[],
): Promise<string[]> {
  const missing: string[] = [];
  for (const probe of probes) {
    try {
      await read(probe.path);
    } catch (error) {
      if (error instanceof PsaError && refusedCodes.includes(error.code)) missing.push(probe.what);
      else throw error;
    }
  }
  return missing;
}

import { browser } from '../browser';
import { hostPattern } from '../host-pattern';

/**
 * The PSA content script is registered at runtime for exactly the origins of configured
 * integrations (R13): on-premises ConnectWise and custom domains cannot be listed in a manifest,
 * and nothing runs on sites the user did not set up.
 */
export const PSA_SCRIPT_ID = 'sidecar-psa';
const PSA_SCRIPT_FILE = 'content-scripts/psa.js';
/** Early, so the overlay's frame and data are on their way while the PSA page loads (entrypoints/psa.content). */
const PSA_SCRIPT_RUN_AT = 'document_start' as const;

export async function syncContentScripts(uiOrigins: string[]): Promise<void> {
  const matches = [...new Set(uiOrigins.map(hostPattern))].sort();
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [PSA_SCRIPT_ID] });
  const current = registered[0]?.matches?.slice().sort() ?? [];
  // Registrations persist across updates: one from a version that ran later is replaced.
  if (registered.length && current.join() === matches.join() && registered[0]?.runAt === PSA_SCRIPT_RUN_AT) return;
  if (registered.length) await browser.scripting.unregisterContentScripts({ ids: [PSA_SCRIPT_ID] });
  if (!matches.length) return;
  await browser.scripting.registerContentScripts([
    { id: PSA_SCRIPT_ID, matches, js: [PSA_SCRIPT_FILE], runAt: PSA_SCRIPT_RUN_AT, allFrames: false, persistAcrossSessions: true },
  ]);
}

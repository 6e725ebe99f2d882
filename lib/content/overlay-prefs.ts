import { z } from 'zod';
import { browser } from '../browser';
import type { PsaKind } from '../psa/types';

/**
 * Where the overlay sits and how it looks, remembered per PSA in storage.local (no secrets
 * there; content scripts may read it). Read values are validated: anything else is a default.
 */
export const MIN_WIDTH = 280;
export const MAX_WIDTH = 720;

const prefsSchema = z.object({
  dock: z.enum(['right', 'left']).catch('right'),
  collapsed: z.boolean().catch(false),
  width: z.number().int().min(MIN_WIDTH).max(MAX_WIDTH).catch(340),
});
export type OverlayPrefs = z.infer<typeof prefsSchema>;
export const DEFAULT_PREFS: OverlayPrefs = { dock: 'right', collapsed: false, width: 340 };

const key = (psa: PsaKind) => `overlay-layout:${psa}`;

/** Stored values are untrusted: each field falls back to its default on its own. */
export function parseOverlayPrefs(stored: unknown): OverlayPrefs {
  const parsed = prefsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_PREFS;
}

export async function loadOverlayPrefs(psa: PsaKind): Promise<OverlayPrefs> {
  return parseOverlayPrefs((await browser.storage.local.get(key(psa)))[key(psa)]);
}

export async function saveOverlayPrefs(psa: PsaKind, prefs: OverlayPrefs): Promise<void> {
  await browser.storage.local.set({ [key(psa)]: prefsSchema.parse(prefs) });
}

export const clampWidth = (width: number) => Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width)));

import { z } from 'zod';
import { browser } from '../browser';
import type { PsaKind } from '../psa/types';

/**
 * Where the overlay sits and how it looks, remembered per PSA in storage.local (no secrets
 * there; content scripts may read it). Read values are validated: anything else is a default.
 */
export const MIN_WIDTH = 280;
export const MAX_WIDTH = 720;

export { NARROW_WINDOW_PX } from '../overlay-frame/link-protocol';

const prefsSchema = z.object({
  dock: z.enum(['right', 'left']).catch('right'),
  collapsed: z.boolean().catch(false),
  width: z.number().int().min(MIN_WIDTH).max(MAX_WIDTH).catch(340),
  // Push: the PSA page is narrowed to make room beside it instead of being covered (#18).
  push: z.boolean().catch(true),
});
export type OverlayPrefs = z.infer<typeof prefsSchema>;
export const DEFAULT_PREFS: OverlayPrefs = { dock: 'right', collapsed: false, width: 340, push: true };

const key = (psa: PsaKind) => `overlay-layout:${psa}`;

/** Stored values are untrusted: each field falls back to its default on its own. */
export function parseOverlayPrefs(stored: unknown): OverlayPrefs {
  const parsed = prefsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_PREFS;
}

/** `narrow`: the PSA tab's window is narrower than NARROW_WINDOW_PX; with nothing stored yet, the overlay starts collapsed. */
export async function loadOverlayPrefs(psa: PsaKind, narrow = false): Promise<OverlayPrefs> {
  const stored: unknown = (await browser.storage.local.get(key(psa)))[key(psa)];
  return stored === undefined ? { ...DEFAULT_PREFS, collapsed: narrow } : parseOverlayPrefs(stored);
}

export async function saveOverlayPrefs(psa: PsaKind, prefs: OverlayPrefs): Promise<void> {
  await browser.storage.local.set({ [key(psa)]: prefsSchema.parse(prefs) });
}

export const clampWidth = (width: number) => Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width)));

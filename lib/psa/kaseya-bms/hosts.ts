/**
 * docs/psa/kaseya-bms.md#hosts: the web UI ("gateway") hosts. Each serves its REST API on `api.` + host,
 * which is not in this list and so is never a page.
 */
export const KASEYA_BMS_HOSTS = [
  'bms.kaseya.com',
  'bmsemea.kaseya.com',
  'bmsapac.kaseya.com',
  'na1bmspreview.kaseya.com',
  'psa.pulseway.com', // Pulseway PSA: same code base, same paths [I]
  // Vorex (legacy brand). UNCONFIRMED: docs/psa/kaseya-bms.md#hosts only guesses this UI host ([G]).
  'vorexlogin.com',
  'www.vorexlogin.com',
] as const;

/** Exactly one of the Kaseya BMS / Pulseway PSA web UI hosts. */
export function isKaseyaBmsHost(hostname: string): boolean {
  return (KASEYA_BMS_HOSTS as readonly string[]).includes(hostname.toLowerCase());
}

/**
 * The PSAs Sidecar supports, by name: the one list a new PSA is added to. Plain data, so code that
 * only names PSAs (messages, stored rows, the content script) carries nothing else; each PSA's
 * page part (./pages.ts) and descriptor (./all.ts) are keyed by these names, and the compiler asks
 * for both when a name is added here.
 *
 * The order is the detection order and the options page's: ConnectWise first, so a ConnectWise
 * path is ConnectWise even on a host configured for another PSA.
 */
export const PSA_KINDS = ['connectwise', 'halo', 'kaseya-bms'] as const;
export type PsaKind = (typeof PSA_KINDS)[number];

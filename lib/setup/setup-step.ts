/**
 * Where an integration stands in Hudu's setup path (connect, start sync, match companies, sync
 * again), so its card can offer only the next step as the primary action. Derived from what is
 * stored, never kept: a resync, a new match or a failed test moves it back by itself.
 */
export type SetupStep = 'connect' | 'first-sync' | 'match' | 'sync-again' | 'done';

export interface SetupFacts {
  /** The last connection test passed. */
  connected: boolean;
  /** A sync of this integration has finished (companies are there to match). */
  synced: boolean;
  /** Companies matched to a client space, and when the latest was decided (ms). */
  matched: number;
  lastMatchedAt: number | undefined;
  /** When the latest successful sync finished (ms). */
  lastSyncAt: number | undefined;
  /** Shared by the team: its sync and matches are the team's, nothing to set up here. */
  team: boolean;
}

export function setupStep(facts: SetupFacts): SetupStep {
  if (facts.team) return 'done';
  if (!facts.connected) return 'connect';
  if (!facts.synced) return 'first-sync';
  if (facts.matched === 0) return 'match';
  // Matched companies get their contacts, configurations, agreements and sites from the next sync.
  if ((facts.lastSyncAt ?? 0) < (facts.lastMatchedAt ?? 0)) return 'sync-again';
  return 'done';
}

/** The steps as the card lists them, each with whether it is done. */
export const SETUP_STEPS: { step: Exclude<SetupStep, 'done'>; label: string }[] = [
  { step: 'connect', label: 'Connect' },
  { step: 'first-sync', label: 'Start sync' },
  { step: 'match', label: 'Match companies' },
  { step: 'sync-again', label: 'Sync again' },
];

import { describe, expect, it } from 'vitest';
import { setupStep, type SetupFacts } from '@/lib/setup/setup-step';

const fresh: SetupFacts = { connected: false, synced: false, matched: 0, lastMatchedAt: undefined, lastSyncAt: undefined, team: false };

describe('setupStep', () => {
  it('walks Hudu’s path: connect, start sync, match, sync again', () => {
    expect(setupStep(fresh)).toBe('connect');
    expect(setupStep({ ...fresh, connected: true })).toBe('first-sync');
    expect(setupStep({ ...fresh, connected: true, synced: true, lastSyncAt: 100 })).toBe('match');
    expect(setupStep({ ...fresh, connected: true, synced: true, lastSyncAt: 100, matched: 3, lastMatchedAt: 200 })).toBe('sync-again');
    expect(setupStep({ ...fresh, connected: true, synced: true, lastSyncAt: 300, matched: 3, lastMatchedAt: 200 })).toBe('done');
  });

  it('goes back a step when what it stood on changes', () => {
    const done: SetupFacts = { connected: true, synced: true, lastSyncAt: 300, matched: 3, lastMatchedAt: 200, team: false };
    expect(setupStep({ ...done, lastMatchedAt: 400 })).toBe('sync-again');
    expect(setupStep({ ...done, connected: false })).toBe('connect');
  });

  it('asks nothing of an integration the team syncs', () => {
    expect(setupStep({ ...fresh, team: true })).toBe('done');
  });
});

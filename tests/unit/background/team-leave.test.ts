import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb, type TeamPreference } from '@/lib/db/schema';
import { createHandlers } from '@/lib/background/handlers';
import type { BackgroundServices } from '@/lib/background/services';
import type { ClassifiedSender } from '@/lib/messaging/sender';

/**
 * Leaving the team gives back the team server's site (#15): the permission was asked for the team
 * alone. Checked to fail without the release in the `team.leave` handler.
 */

let db: SidecarDb;
let released: string[][];
let left: number;

function services(): BackgroundServices {
  return {
    db,
    team: {
      async leave() {
        left += 1;
        await db.preferences.delete('team');
      },
    },
    async releaseOrigins(origins: string[]) {
      released.push(origins);
    },
  } as unknown as BackgroundServices;
}

const optionsPage: ClassifiedSender = { kind: 'extension-page', url: 'chrome-extension://sidecar/options.html' } as unknown as ClassifiedSender;

beforeEach(async () => {
  db = new SidecarDb(`team-leave-${Math.random()}`);
  await db.open();
  released = [];
  left = 0;
});
afterEach(async () => {
  db.close();
});

describe('team.leave', () => {
  it('leaves, then gives back the team server’s origin (the browser keeps it if a PSA integration uses that host)', async () => {
    const membership: TeamPreference = {
      id: 'team',
      serverUrl: 'https://couch.example.com:6984',
      database: 'sidecar-team',
      username: 'dana',
      teamId: 'team-1',
      joinedAt: 1,
    };
    await db.preferences.put(membership);
    const handlers = createHandlers(services());
    expect(await handlers['team.leave']({}, optionsPage)).toEqual({ left: true });
    expect(left).toBe(1);
    expect(released).toEqual([['https://couch.example.com:6984']]);
  });

  it('outside a team, gives nothing back', async () => {
    const handlers = createHandlers(services());
    await handlers['team.leave']({}, optionsPage);
    expect(released).toEqual([]);
  });
});

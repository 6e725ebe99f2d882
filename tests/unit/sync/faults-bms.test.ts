import { describe, expect, it } from 'vitest';
import { BMS } from '../../support/psa-cases/index.ts';
import { useSyncHarness } from '../../support/sync-harness.ts';
import { expectTokenOutageRetried, faultMatrix } from './faults-matrix';

/** Issue #6's fault matrix against the Kaseya BMS emulator (shared rows in faults-matrix.ts), plus token expiry. */
faultMatrix(BMS);

describe('Kaseya BMS: the access token expires mid-sync', () => {
  const h = useSyncHarness(BMS);
  const posts = (path: RegExp) => h.emu.requests().filter((request) => request.method === 'POST' && path.test(request.path));
  const REFRESH = /\/v2\/security\/refreshtoken$/;
  const SIGN_IN = /\/v2\/security\/authenticate$/;

  it.each([
    { expired: 'the access token', refreshToo: false, refreshes: [200], signIns: 0 },
    { expired: 'the access and refresh tokens', refreshToo: true, refreshes: [401], signIns: 1 },
  ])('$expired: renewed once (refresh, else sign in again) and the sync finishes', async ({ refreshToo, refreshes, signIns }) => {
    await h.syncAndMatch();
    h.emu.injectFault({ path: BMS.lists.contact, effect: () => h.emu.expireTokens!({ refresh: refreshToo }) });
    const signedIn = posts(SIGN_IN).length;
    const run = await h.synced();
    expect(run.attempts).toBe(0);
    expect(posts(REFRESH).map((request) => request.status)).toEqual(refreshes);
    expect(posts(SIGN_IN).length - signedIn).toBe(signIns);
    expect(await h.local()).toEqual(h.emu.truth());
  });

  it('when refresh and sign-in both answer 503, the run waits with a retry and finishes when the alarm fires', () =>
    expectTokenOutageRetried(h, { method: 'POST', path: /\/v2\/security\/(refreshtoken|authenticate)$/, status: 503, times: 2 }));
});

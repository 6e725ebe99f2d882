import { describe, expect, it } from 'vitest';
import { HALO } from '../../support/psa-cases/index.ts';
import { useSyncHarness } from '../../support/sync-harness.ts';
import { expectTokenOutageRetried, faultMatrix } from './faults-matrix';

/** Issue #6's fault matrix against the HaloPSA emulator (shared rows in faults-matrix.ts), plus token expiry. */
faultMatrix(HALO);

describe('HaloPSA: the access token expires mid-sync', () => {
  const h = useSyncHarness(HALO);
  const tokenRequests = () => h.emu.requests().filter((request) => request.method === 'POST' && /\/auth\/token$/.test(request.path));

  it('renews it once (401 → new token) and the sync finishes', async () => {
    await h.syncAndMatch();
    h.emu.injectFault({ path: HALO.lists.contact, effect: () => h.emu.expireTokens!() });
    const issued = tokenRequests().length;
    const run = await h.synced();
    expect(run.attempts).toBe(0);
    expect(tokenRequests().length).toBe(issued + 1);
    expect(
      h.emu
        .requests()
        .filter((request) => HALO.lists.contact.test(request.path))
        .map((request) => request.status)[0],
    ).toBe(401);
    expect(await h.local()).toEqual(h.emu.truth());
  });

  it('when the token server is down as well, the run waits with a retry and finishes when the alarm fires', () =>
    expectTokenOutageRetried(h, { method: 'POST', path: /\/auth\/token$/, status: 503 }));
});

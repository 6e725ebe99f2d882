import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from '@/lib/browser';
import { syncContentScripts } from '@/lib/background/content-scripts';

type Registered = Awaited<ReturnType<typeof browser.scripting.getRegisteredContentScripts>>;

/** The PSA content script's registration follows the configured origins, and runs at document_start (issue #7). */
describe('content script registration', () => {
  afterEach(() => vi.restoreAllMocks());

  function stub(registered: Registered) {
    vi.spyOn(browser.scripting, 'getRegisteredContentScripts').mockResolvedValue(registered);
    return {
      unregister: vi.spyOn(browser.scripting, 'unregisterContentScripts').mockResolvedValue(undefined),
      register: vi.spyOn(browser.scripting, 'registerContentScripts').mockResolvedValue(undefined),
    };
  }

  it('registers the origins’ patterns (ports dropped) to run at document_start', async () => {
    const calls = stub([]);
    await syncContentScripts(['http://127.0.0.1:8080', 'https://na.myconnectwise.net']);
    expect(calls.unregister).not.toHaveBeenCalled();
    expect(calls.register).toHaveBeenCalledWith([
      expect.objectContaining({ matches: ['http://127.0.0.1/*', 'https://na.myconnectwise.net/*'], runAt: 'document_start', persistAcrossSessions: true }),
    ]);
  });

  it('leaves a current registration alone, and replaces one an earlier version made at document_idle', async () => {
    const current = { id: 'sidecar-psa', matches: ['https://na.myconnectwise.net/*'], js: ['content-scripts/psa.js'], runAt: 'document_start' as const };
    let calls = stub([current]);
    await syncContentScripts(['https://na.myconnectwise.net']);
    expect(calls.register).not.toHaveBeenCalled();
    vi.restoreAllMocks();

    calls = stub([{ ...current, runAt: 'document_idle' }]);
    await syncContentScripts(['https://na.myconnectwise.net']);
    expect(calls.unregister).toHaveBeenCalledWith({ ids: ['sidecar-psa'] });
    expect(calls.register).toHaveBeenCalledWith([expect.objectContaining({ runAt: 'document_start' })]);
  });
});

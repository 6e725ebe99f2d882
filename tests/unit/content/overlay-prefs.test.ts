import { describe, expect, it } from 'vitest';
import { browser } from '@/lib/browser';
import { DEFAULT_PREFS, loadOverlayPrefs, parseOverlayPrefs, saveOverlayPrefs } from '@/lib/content/overlay-prefs';

describe('overlay layout, remembered per PSA', () => {
  it('saves and loads per PSA; another PSA keeps its own', async () => {
    await saveOverlayPrefs('halo', { dock: 'left', collapsed: true, width: 420, push: false });
    expect(await loadOverlayPrefs('halo')).toEqual({ dock: 'left', collapsed: true, width: 420, push: false });
    expect(await loadOverlayPrefs('connectwise')).toEqual(DEFAULT_PREFS);
  });

  it('a stored value that is not ours falls back field by field', async () => {
    expect(parseOverlayPrefs({ dock: 'top', collapsed: 'yes', width: 5000 })).toEqual(DEFAULT_PREFS);
    expect(parseOverlayPrefs({ dock: 'left', width: 10 })).toEqual({ dock: 'left', collapsed: false, width: 340, push: true });
    expect(parseOverlayPrefs('<script>')).toEqual(DEFAULT_PREFS);
    await browser.storage.local.set({ 'overlay-layout:kaseya-bms': { dock: 'left', collapsed: false, width: 300.5 } });
    expect(await loadOverlayPrefs('kaseya-bms')).toEqual({ dock: 'left', collapsed: false, width: 340, push: true });
  });

  it('starts collapsed in a narrow window until the person says otherwise', async () => {
    expect(await loadOverlayPrefs('connectwise', true)).toEqual({ ...DEFAULT_PREFS, collapsed: true });
    expect(await loadOverlayPrefs('connectwise', false)).toEqual(DEFAULT_PREFS);
    await saveOverlayPrefs('connectwise', { ...DEFAULT_PREFS, collapsed: false });
    expect(await loadOverlayPrefs('connectwise', true)).toEqual(DEFAULT_PREFS);
  });
});

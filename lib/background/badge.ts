import { browser } from '../browser';
import type { OverlayView } from '../overlay-view/view-model';

/**
 * The toolbar badge of a tab: whether it shows a recognised PSA record whose company is matched
 * (✓), one whose company is not (?), or nothing Sidecar can show (no badge).
 */
export interface Badge {
  text: string;
  color: string;
  title: string;
}

export function badgeFor(view: OverlayView): Badge {
  switch (view.state) {
    case 'ready':
      return { text: '✓', color: '#2e7d32', title: `Sidecar: ${view.clientSpaceName}` };
    case 'not-matched':
      return { text: '?', color: '#b45309', title: `Sidecar: ${view.company.name} is not matched to a client space` };
    default:
      return { text: '', color: '#5b6570', title: 'Sidecar' };
  }
}

export async function showBadge(tabId: number, badge: Badge): Promise<void> {
  // COMPAT(firefox-mv2): the toolbar button is `browserAction` there.
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  await Promise.all([
    action.setBadgeText({ tabId, text: badge.text }),
    action.setBadgeBackgroundColor({ tabId, color: badge.color }),
    action.setTitle({ tabId, title: badge.title }),
  ]);
}

export const clearBadge = (tabId: number) => showBadge(tabId, { text: '', color: '#5b6570', title: 'Sidecar' });

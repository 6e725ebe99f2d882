import { describe, expect, it } from 'vitest';
import { badgeFor } from '@/lib/background/badge';
import type { OverlayView } from '@/lib/overlay-view/view-model';

describe('the toolbar badge', () => {
  it('✓ for a matched company, ? for an unmatched one, nothing otherwise', () => {
    const ready: OverlayView = {
      state: 'ready',
      company: { remoteId: '1', title: 'N', fields: [] },
      clientSpaceName: 'Northwind',
      notes: [],
      articles: [],
      credentials: [],
      contacts: [],
      configurations: [],
      agreements: [],
      sites: [],
    };
    expect(badgeFor(ready)).toEqual({ text: '✓', color: '#2e7d32', title: 'Sidecar: Northwind' });
    expect(badgeFor({ state: 'not-matched', company: { remoteId: '2', name: 'Contoso' } })).toMatchObject({
      text: '?',
      title: 'Sidecar: Contoso is not matched to a client space',
    });
    for (const state of ['not-configured', 'not-synced', 'not-found', 'error'] as const) expect(badgeFor({ state, message: 'x' }).text).toBe('');
  });
});

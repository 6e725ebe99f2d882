import { describe, expect, it } from 'vitest';
import { SPACING, wholeReadEveryMs, wholeReadMs, wholeReadNote, wholeReadRequests, wholeReadSpacing } from '@/lib/sync/whole-list-pace';
import type { EntityCapabilities, EntityKind } from '@/lib/psa/types';

const hour = 3_600_000;
// Kaseya BMS: 1,500 calls an hour per endpoint (docs/psa/kaseya-bms.md#rate-limits), Sidecar's default share 50%.
const bms = { limit: { limit: 1500, windowMs: hour, per: 'endpoint' as const }, share: 0.5 };

describe('how often a long list is read whole', () => {
  it('costs a request per page: 150,000 assets are 1,500 requests, two hours at 750 an hour, read whole every 8 hours', () => {
    const cost = { records: 150_000, pageSize: 100, ...bms };
    expect(wholeReadRequests(cost)).toBe(1500);
    expect(wholeReadMs(cost)).toBe(2 * hour);
    expect(wholeReadEveryMs(cost)).toBe(SPACING * 2 * hour);
  });

  it('reads a short list on every sync: 3,000 assets take under 3 minutes at the share', () => {
    const cost = { records: 3_000, pageSize: 100, ...bms };
    expect(wholeReadRequests(cost)).toBe(30);
    expect(wholeReadEveryMs(cost)).toBeLessThan(10 * 60_000);
  });

  it('spaces only the lists declared paced, from what their last whole read returned', () => {
    const full = { incremental: false, idsOnly: false };
    const capabilities: Record<EntityKind, EntityCapabilities> = {
      company: { incremental: true, idsOnly: false },
      contact: { incremental: true, idsOnly: false },
      configuration: { ...full, pacedWhole: { pageSize: 100 } },
      agreement: full,
      site: full,
    };
    const cursor = (entity: EntityKind, lastFullPassRecords?: number) => ({
      integrationId: 'i',
      entity,
      coveredCompanyIds: [],
      ...(lastFullPassRecords !== undefined ? { lastFullPassRecords } : {}),
    });
    const spacing = wholeReadSpacing(capabilities, [cursor('configuration', 150_000), cursor('agreement', 90_000), cursor('site')], bms);
    expect(spacing).toEqual({ configuration: 8 * hour });
    // Not read whole yet: its cost is unknown, so no spacing (read on every sync until then).
    expect(wholeReadSpacing(capabilities, [cursor('configuration')], bms)).toEqual({});
    // No pacing known (a scheduler without it): every sync, as before.
    expect(wholeReadSpacing(capabilities, [cursor('configuration', 150_000)], undefined)).toEqual({});
  });
});

describe('what the options page says of it', () => {
  const note = (lastFullPassRecords: number | undefined, intervalHours = 3) =>
    wholeReadNote({
      label: 'Kaseya BMS',
      noun: 'assets',
      pageSize: 100,
      ...bms,
      intervalHours,
      cursor: lastFullPassRecords === undefined ? undefined : { lastFullPassAt: 1, lastFullPassRecords },
    });

  it('before the first whole read: every sync until then, then at the pace the share allows', () => {
    expect(note(undefined)).toBe(
      'Kaseya BMS cannot list only the assets that changed, so Sidecar reads the whole list: on every sync until it has read it once, then only as often as 50% of its limit of 1,500 requests an hour for this list allows (a whole read at most a quarter of the time), with newly matched companies’ assets read in between.',
    );
  });

  it('a large list: how often, what is read in between, and what the last whole read cost', () => {
    expect(note(150_000)).toBe(
      'Kaseya BMS cannot list only the assets that changed, so Sidecar reads the whole list at most every 8 h (a whole read at most a quarter of the time); scheduled syncs in between read only newly matched companies’ assets, and Sync now reads the whole list at once. The last whole read: 150,000 assets in 1,500 requests, about 2 h at 50% of its limit of 1,500 requests an hour for this list.',
    );
  });

  it('a short list: read whole on every sync', () => {
    expect(note(3_000)).toBe(
      'Kaseya BMS cannot list only the assets that changed, so Sidecar reads the whole list on every sync. The last whole read: 3,000 assets in 30 requests, about 2 min at 50% of its limit of 1,500 requests an hour for this list.',
    );
    // The schedule's own interval decides "every sync": 8 h of spacing fits a 12-hour schedule.
    expect(note(150_000, 12)).toMatch(/reads the whole list on every sync\./);
  });
});

import { describe, expect, it } from 'vitest';
import { isQuiet } from '@/lib/sync/schedule';

const at = (hour: number) => new Date(2026, 10, 22, hour, 30);

describe('quiet window', () => {
  it('covers its hours, also across midnight, and nothing without a window', () => {
    const overnight = { id: 'schedule' as const, intervalHours: 3, quiet: { fromHour: 22, toHour: 6 } };
    expect([21, 22, 23, 0, 5, 6].map((hour) => isQuiet(overnight, at(hour)))).toEqual([false, true, true, true, true, false]);
    const day = { id: 'schedule' as const, intervalHours: 3, quiet: { fromHour: 9, toHour: 17 } };
    expect([8, 9, 16, 17].map((hour) => isQuiet(day, at(hour)))).toEqual([false, true, true, false]);
    expect(isQuiet({ id: 'schedule', intervalHours: 3 }, at(23))).toBe(false);
  });
});

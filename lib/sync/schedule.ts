import type { SchedulePreference, SidecarDb } from '../db/schema';
import { HandledError } from '../errors';

export const DEFAULT_INTERVAL_HOURS = 3;
export const INTERVAL_CHOICES = [1, 2, 3, 6, 12, 24] as const;

/**
 * As the 'schedule.save' channel's schema (lib/messaging/protocol.ts) validates it. Declared here,
 * not derived from the protocol, so sync does not depend on the messaging layer above it.
 */
export interface ScheduleInput {
  intervalHours: number;
  quiet: { fromHour: number; toHour: number } | null;
}

export async function loadSchedule(db: SidecarDb): Promise<SchedulePreference> {
  const saved = await db.preferences.get('schedule');
  return saved?.id === 'schedule' ? saved : { id: 'schedule', intervalHours: DEFAULT_INTERVAL_HOURS };
}

export async function saveSchedule(db: SidecarDb, input: ScheduleInput): Promise<SchedulePreference> {
  if (input.quiet && input.quiet.fromHour === input.quiet.toHour) {
    throw new HandledError('invalid', 'The quiet window starts and ends at the same hour: choose different hours, or no quiet window.', {
      quiet: 'Start and end are the same.',
    });
  }
  const preference: SchedulePreference = { id: 'schedule', intervalHours: input.intervalHours, ...(input.quiet ? { quiet: input.quiet } : {}) };
  await db.preferences.put(preference);
  return preference;
}

/** Inside the quiet window (local time)? Windows may wrap midnight, e.g. 22 → 6. */
export function isQuiet(preference: SchedulePreference, now: Date): boolean {
  if (!preference.quiet) return false;
  const hour = now.getHours();
  const { fromHour, toHour } = preference.quiet;
  return fromHour < toHour ? hour >= fromHour && hour < toHour : hour >= fromHour || hour < toHour;
}

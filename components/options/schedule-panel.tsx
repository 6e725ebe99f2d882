import { getDb } from '@/lib/db/schema';
import { INTERVAL_CHOICES, loadSchedule } from '@/lib/sync/schedule';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useRequestAction } from '@/components/ui/use-action';
import { useLive } from '@/components/ui/use-live';

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** How often syncs run on their own, and hours when they never do. */
export function SchedulePanel() {
  const schedule = useLive(queryKeys.schedule(), () => loadSchedule(getDb()));
  const saving = useRequestAction('schedule.save', {
    success: (_, { intervalHours, quiet }) =>
      `Automatic syncs every ${intervalHours} h${quiet ? `, never between ${hourLabel(quiet.fromHour)} and ${hourLabel(quiet.toHour)}` : ''}.`,
  });
  if (!schedule.data) return <p className="muted">Loading…</p>;
  const current = schedule.data;
  const save = (intervalHours: number, quiet: { fromHour: number; toHour: number } | null) => void saving.run({ intervalHours, quiet });
  return (
    <section className="card" aria-label="Sync schedule" data-testid="schedule">
      <label className="field">
        <span>Sync automatically every</span>
        <select aria-label="Sync interval" value={current.intervalHours} onChange={(event) => save(Number(event.target.value), current.quiet ?? null)}>
          {INTERVAL_CHOICES.map((hours) => (
            <option key={hours} value={hours}>
              {hours} hour{hours === 1 ? '' : 's'}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={!!current.quiet}
          onChange={(event) => save(current.intervalHours, event.target.checked ? { fromHour: 22, toHour: 6 } : null)}
        />
        Quiet window (no automatic syncs)
      </label>
      {current.quiet ? (
        <div className="actions">
          <label>
            from{' '}
            <select
              aria-label="Quiet from"
              value={current.quiet.fromHour}
              onChange={(event) => save(current.intervalHours, { ...current.quiet!, fromHour: Number(event.target.value) })}
            >
              {HOURS.map((hour) => (
                <option key={hour} value={hour}>
                  {hourLabel(hour)}
                </option>
              ))}
            </select>
          </label>
          <label>
            to{' '}
            <select
              aria-label="Quiet to"
              value={current.quiet.toHour}
              onChange={(event) => save(current.intervalHours, { ...current.quiet!, toHour: Number(event.target.value) })}
            >
              {HOURS.map((hour) => (
                <option key={hour} value={hour}>
                  {hourLabel(hour)}
                </option>
              ))}
            </select>
          </label>
        </div>
      ) : null}
      <StatusMessage status={saving.status} testId="schedule-message" />
    </section>
  );
}

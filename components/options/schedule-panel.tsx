import { getDb } from '@/lib/db/schema';
import { INTERVAL_CHOICES, loadSchedule } from '@/lib/sync/schedule';
import { PACED_WHOLE_LISTS, vendorLimit } from '@/lib/psa/rate-limits';
import type { EntityKind } from '@/lib/psa/types';
import { effectiveOptions } from '@/lib/sync/options';
import { wholeReadNote } from '@/lib/sync/whole-list-pace';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useRequestAction } from '@/components/ui/use-action';
import { useLive } from '@/components/ui/use-live';

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** The lists each integration reads whole only as often as its API share allows (Kaseya BMS's assets), with what their last whole read cost. */
async function pacedLists() {
  const db = getDb();
  const lists = [];
  for (const integration of await db.integrations.toArray()) {
    if (!integration.connection) continue;
    for (const [entity, list] of Object.entries(PACED_WHOLE_LISTS[integration.psa])) {
      const cursor = await db.cursors.get([integration.id, entity as EntityKind]);
      lists.push({ key: `${integration.id}:${entity}`, integration, list: list!, cursor });
    }
  }
  return lists;
}

/** How often syncs run on their own, and hours when they never do. */
export function SchedulePanel() {
  const schedule = useLive(queryKeys.schedule(), () => loadSchedule(getDb()));
  const paced = useLive(queryKeys.wholeReads(), pacedLists);
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
      {paced.data?.map(({ key, integration, list, cursor }) => (
        <p key={key} className="hint" data-testid="whole-read-note">
          {wholeReadNote({
            label: integration.label,
            noun: list.noun,
            pageSize: list.pageSize,
            limit: vendorLimit(integration.psa),
            share: effectiveOptions(integration.options).apiSharePercent / 100,
            intervalHours: current.intervalHours,
            cursor,
          })}
        </p>
      ))}
      <StatusMessage status={saving.status} testId="schedule-message" />
    </section>
  );
}

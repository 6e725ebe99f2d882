import { getDb, type RecordRow } from '@/lib/db/schema';
import { request } from '@/lib/messaging/client';
import { archivedRecords } from '@/lib/sync/museum';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { useLiveRecords } from '@/components/ui/use-live-records';

const REASON_LABEL = { deleted: 'Deleted in the PSA', inactive: 'Inactive in the PSA', skipped: 'Left out by a skip option' } as const;
const RESTORED_LABEL = {
  deleted: 'it shows again, marked as deleted in the PSA',
  inactive: 'it shows again and can be matched',
  skipped: 'it shows again',
} as const;

const ENTITY_LABEL = { company: 'Company', contact: 'Contact', configuration: 'Configuration', agreement: 'Agreement', site: 'Site' } as const;

const nameOf = (row: RecordRow) => (row.data as { name?: string }).name ?? row.remoteId;

/** Archived records of one integration, shown apart and restorable. */
export function Museum({ integrationId }: { integrationId: string }) {
  const db = getDb();
  const rows = useLiveRecords(db, queryKeys.museum(integrationId), { integrationId }, () => archivedRecords(db, integrationId));
  const restore = useAction((row: RecordRow) => request('records.restore', { integrationId, entity: row.entity, remoteId: row.remoteId }), {
    success: (_, row) => `${nameOf(row)} restored: ${RESTORED_LABEL[row.archivedReason ?? 'deleted']}.`,
  });
  if (!rows.data) return <p className="muted">Loading…</p>;
  return (
    <div data-testid="museum">
      <h4>Museum</h4>
      <p className="muted">
        Records deleted in the PSA, inactive companies, and records left out by a skip option. Nothing here is shown in the overlay until you restore it.
      </p>
      {rows.data.length === 0 ? (
        <p className="muted">Empty.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Record</th>
              <th scope="col">Kind</th>
              <th scope="col">Why</th>
              <th scope="col">Archived</th>
              <th scope="col">
                <span className="visually-hidden">Restore</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.data.map((row) => {
              const name = nameOf(row);
              return (
                <tr key={`${row.entity}:${row.remoteId}`} data-testid="museum-row">
                  <td>{name}</td>
                  <td>{ENTITY_LABEL[row.entity]}</td>
                  <td>{REASON_LABEL[row.archivedReason ?? 'deleted']}</td>
                  <td>{new Date(row.archivedAt!).toLocaleString()}</td>
                  <td>
                    <button type="button" aria-label={`Restore ${name}`} onClick={() => void restore.run(row)}>
                      Restore
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <StatusMessage status={restore.status} testId="museum-message" />
    </div>
  );
}

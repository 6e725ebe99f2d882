import { getDb, type LogRow } from '@/lib/db/schema';
import { queryKeys } from '@/components/ui/query-keys';
import { useLive } from '@/components/ui/use-live';
import { Button } from '@/components/ui/button';

const LIMIT = 500;

function asText(rows: LogRow[]): string {
  return rows.map((row) => [new Date(row.at).toISOString(), row.level.toUpperCase(), row.entity ?? '', row.remoteId ?? '', row.message].join('\t')).join('\n');
}

/** The sync log of one integration: what ran, what was set aside and why. Downloadable as text. */
export function SyncLog({ integrationId, label }: { integrationId: string; label: string }) {
  const db = getDb();
  const log = useLive(queryKeys.log(integrationId), () => db.log.where('integrationId').equals(integrationId).reverse().limit(LIMIT).toArray());
  const rows = log.data ?? [];
  const download = () => {
    // Oldest first in the file; messages never hold credentials (they are written by the engine).
    const blob = new Blob([`${asText([...rows].reverse())}\n`], { type: 'text/plain' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `sidecar-log-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.txt`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };
  return (
    <div data-testid="sync-log">
      <h4>Log</h4>
      <div className="actions">
        <Button type="button" onClick={download} disabled={!rows.length}>
          Download log
        </Button>
        <span className="muted">Newest first; the last {LIMIT} entries.</span>
      </div>
      {rows.length === 0 ? (
        <p className="muted">Nothing logged yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Level</th>
              <th scope="col">Record</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-testid="log-row" className={row.level === 'error' ? 'error' : row.level === 'warn' ? 'warn' : ''}>
                <td>{new Date(row.at).toLocaleString()}</td>
                <td>{row.level}</td>
                <td>{row.entity ? `${row.entity}${row.remoteId ? ` #${row.remoteId}` : ''}` : ''}</td>
                <td>{row.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

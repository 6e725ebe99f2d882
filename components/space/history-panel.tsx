import { useQuery } from '@tanstack/react-query';
import { request } from '@/lib/messaging/client';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useRequestAction } from '@/components/ui/use-action';
import { Stamp } from './stamp';
import { Button } from '@/components/ui/button';

const REASONS = { edit: 'Edited', restore: 'Replaced by a restore', conflict: 'Kept from a conflict', bin: 'Before deleting' } as const;

/**
 * Every earlier version of a document, newest first, each restorable. Asked of the background
 * (versions are not in the projection); asked again whenever the document changes.
 */
export function HistoryPanel({ docId, currentRev, describe }: { docId: string; currentRev: string; describe: (content: Record<string, unknown>) => string }) {
  const history = useQuery({ queryKey: [...queryKeys.history(docId), currentRev], queryFn: () => request('docs.history', { id: docId }) });
  const restoring = useRequestAction('docs.version.restore', { success: () => 'Restored: the version it replaced is kept in the history too.' });
  if (history.isPending) return <p className="muted">Loading history…</p>;
  if (history.isError)
    return <p className="error">Could not read the history: {history.error instanceof Error ? history.error.message : String(history.error)}</p>;
  const earlier = history.data.entries.filter((entry) => !entry.current);
  return (
    <div className="history" data-testid="history">
      <h4>History</h4>
      {earlier.length === 0 ? <p className="muted">No earlier version.</p> : null}
      <ol>
        {earlier.map((entry) => (
          <li key={entry.rev} data-testid="history-entry">
            <Stamp
              by={entry.updatedBy.name || 'Unnamed technician'}
              at={entry.updatedAt}
              verb={entry.reason ? `${REASONS[entry.reason]}; written` : 'Written'}
            />
            <p className="history-content">{describe(entry.content)}</p>
            <Button
              type="button"
              className="secondary"
              disabled={restoring.isPending}
              onClick={() => void restoring.run({ id: docId, rev: entry.rev, baseRev: currentRev })}
            >
              Restore this version
            </Button>
          </li>
        ))}
      </ol>
      <StatusMessage status={restoring.status} testId="history-result" />
    </div>
  );
}

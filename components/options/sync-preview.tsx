import { useState } from 'react';
import { getDb, type IntegrationRow } from '@/lib/db/schema';
import { latestPreview } from '@/lib/db/queries';
import { request } from '@/lib/messaging/client';
import { emptyPreview } from '@/lib/db/change-preview';
import { useLive } from '@/components/ui/use-live';
import { PreviewPanel } from './preview-panel';

/**
 * "Preview sync": reads the PSA as a sync would, writes nothing, then shows what the sync would
 * create, update, move and archive. Apply starts the sync; Cancel drops the preview.
 */
export function SyncPreview({ integration, disabled }: { integration: IntegrationRow; disabled: boolean }) {
  const db = getDb();
  const preview = useLive(['latest-preview', integration.id], () => latestPreview(db, integration.id));
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const run = preview.data;
  const fail = (error: unknown) => setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
  const dismiss = () => run && request('sync.preview.dismiss', { runId: run.id }).catch(fail);

  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={disabled || run?.status === 'running'}
        onClick={() => {
          setMessage(undefined);
          request('sync.preview', { integrationId: integration.id })
            .then(({ alreadyRunning }) => alreadyRunning && setMessage({ kind: 'error', text: 'A sync is running: preview once it has finished.' }))
            .catch(fail);
        }}
      >
        Preview sync
      </button>
      {run?.status === 'running' ? (
        <p className="muted" role="status" data-testid="preview-running">
          Previewing: reading {run.progress?.entity ?? 'the PSA'}
          {run.progress ? ` (${run.progress.done}${run.progress.total !== undefined ? ` of ${run.progress.total}` : ''})` : ''}, writing nothing…{' '}
          <button type="button" className="secondary" onClick={() => void dismiss()}>
            Stop preview
          </button>
        </p>
      ) : run?.status === 'succeeded' ? (
        <PreviewPanel
          title="If you synced now"
          preview={run.preview ?? emptyPreview()}
          onApply={() => {
            setMessage(undefined);
            request('sync.start', { integrationId: integration.id })
              .then(() => {
                void dismiss();
                setMessage({ kind: 'ok', text: 'Sync started: the PSA may have changed since the preview, the sync applies what it finds now.' });
              })
              .catch(fail);
          }}
          onCancel={() => void dismiss()}
        />
      ) : run?.status === 'failed' && run.error?.code !== 'cancelled' ? (
        <p className="error" role="alert" data-testid="preview-failed">
          Preview failed: {run.error?.message ?? 'unknown error'}{' '}
          <button type="button" className="secondary" onClick={() => void dismiss()}>
            Dismiss
          </button>
        </p>
      ) : null}
      {message ? (
        <p className={message.kind} role="status" data-testid="sync-preview-message">
          {message.text}
        </p>
      ) : null}
    </>
  );
}

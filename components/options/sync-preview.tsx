import { getDb, type IntegrationRow } from '@/lib/db/schema';
import { latestPreview } from '@/lib/db/queries';
import { request } from '@/lib/messaging/client';
import { emptyPreview } from '@/lib/db/change-preview';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction, useRequestAction } from '@/components/ui/use-action';
import { useLive } from '@/components/ui/use-live';
import { PreviewPanel } from './preview-panel';
import { Button } from '@/components/ui/button';

/**
 * "Preview sync": reads the PSA as a sync would, writes nothing, then shows what the sync would
 * create, update, move and archive. Apply starts the sync; Cancel drops the preview.
 */
export function SyncPreview({ integration, disabled }: { integration: IntegrationRow; disabled: boolean }) {
  const db = getDb();
  const preview = useLive(queryKeys.latestPreview(integration.id), () => latestPreview(db, integration.id));
  const run = preview.data;
  // Dropping the preview is quiet: it speaks only when it fails, over what the last step said.
  const dismissal = useRequestAction('sync.preview.dismiss');
  const dismiss = () => run && dismissal.run({ runId: run.id });
  const step = useAction(
    async (which: 'preview' | 'apply') => {
      if (which === 'preview') return (await request('sync.preview', { integrationId: integration.id })).alreadyRunning;
      await request('sync.start', { integrationId: integration.id });
      void dismiss();
      return false;
    },
    {
      failed: (alreadyRunning) => (alreadyRunning ? 'A sync is running: preview once it has finished.' : undefined),
      success: (_, which) => (which === 'apply' ? 'Sync started: the PSA may have changed since the preview, the sync applies what it finds now.' : undefined),
    },
  );
  const start = (which: 'preview' | 'apply') => {
    dismissal.reset();
    void step.run(which);
  };

  return (
    <>
      <Button type="button" className="secondary" disabled={disabled || run?.status === 'running'} onClick={() => start('preview')}>
        Preview sync
      </Button>
      {run?.status === 'running' ? (
        <p className="muted" role="status" data-testid="preview-running">
          Previewing: reading {run.progress?.entity ?? 'the PSA'}
          {run.progress ? ` (${run.progress.done}${run.progress.total !== undefined ? ` of ${run.progress.total}` : ''})` : ''}, writing nothing…{' '}
          <button type="button" className="secondary" onClick={() => void dismiss()}>
            Stop preview
          </button>
        </p>
      ) : run?.status === 'succeeded' ? (
        <PreviewPanel title="If you synced now" preview={run.preview ?? emptyPreview()} onApply={() => start('apply')} onCancel={() => void dismiss()} />
      ) : run?.status === 'failed' && run.error?.code !== 'cancelled' ? (
        <p className="error" role="alert" data-testid="preview-failed">
          Preview failed: {run.error?.message ?? 'unknown error'}{' '}
          <button type="button" className="secondary" onClick={() => void dismiss()}>
            Dismiss
          </button>
        </p>
      ) : null}
      <StatusMessage status={dismissal.status ?? step.status} testId="sync-preview-message" />
    </>
  );
}

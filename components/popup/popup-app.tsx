import { useState } from 'react';
import { browser } from '@/lib/browser';
import { getDb, type IntegrationRow } from '@/lib/db/schema';
import { latestRun, listIntegrations, recordCounts } from '@/lib/db/queries';
import { syncedAgo } from '@/lib/content/relative-time';
import { request } from '@/lib/messaging/client';
import { RunProgress } from '@/components/ui/run-progress';
import { useLive } from '@/components/ui/use-live';
import { Palette } from './palette';

export function PopupApp() {
  const db = getDb();
  const integrations = useLive(['integrations'], () => listIntegrations(db));
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const connected = integrations.data?.filter((integration) => integration.connection?.ok) ?? [];

  return (
    <main className="popup">
      <h1>Sidecar</h1>
      <Palette />
      {integrations.isPending ? (
        <p className="muted">Loading…</p>
      ) : integrations.data?.length ? (
        integrations.data.map((integration) => <IntegrationStatus key={integration.id} integration={integration} />)
      ) : (
        <p className="muted" data-testid="no-integrations">
          No PSA connected yet.
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={!connected.length}
          onClick={() => {
            setMessage(undefined);
            request('sync.start', {})
              .then((result) =>
                setMessage({
                  kind: 'ok',
                  text: result.runs.every((run) => run.alreadyRunning) ? 'A sync is already running.' : 'Resync started.',
                }),
              )
              .catch((error: unknown) => setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) }));
          }}
        >
          Resync now
        </button>
        <button type="button" className="secondary" onClick={() => void browser.runtime.openOptionsPage()}>
          Options
        </button>
      </div>
      {message ? (
        <p className={message.kind} role="status" data-testid="popup-message">
          {message.text}
        </p>
      ) : null}
    </main>
  );
}

function IntegrationStatus({ integration }: { integration: IntegrationRow }) {
  const db = getDb();
  const run = useLive(['latest-run', integration.id], () => latestRun(db, integration.id));
  const counts = useLive(['counts', integration.id, integration.lastSyncAt ?? 0], () => recordCounts(db, integration.id));
  const [now] = useState(Date.now());
  return (
    <section className="card" data-testid="integration-status" aria-label={integration.label}>
      <h2>{integration.label}</h2>
      <p className={integration.connection?.ok ? 'muted' : 'error'}>
        {integration.connection?.ok ? `Connected to ${integration.connection.companyName}` : 'Not connected: open Options.'}
        {' · '}
        <span data-testid="last-sync">{syncedAgo(integration.lastSyncAt, now)}</span>
      </p>
      {counts.data ? (
        <p data-testid="record-counts">
          {counts.data.company} companies · {counts.data.contact} contacts · {counts.data.configuration} configurations ·{' '}
          {counts.data.agreement} agreements · {counts.data.site} sites
        </p>
      ) : null}
      <RunProgress run={run.data} />
    </section>
  );
}

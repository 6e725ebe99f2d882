import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { browser } from '@/lib/browser';
import { getDb, type IntegrationRow } from '@/lib/db/schema';
import { latestRun, listIntegrations, loadTeam, recordCounts } from '@/lib/db/queries';
import { TeamStatusLine } from '@/components/ui/team-status';
import { syncedAgo } from '@/lib/content/relative-time';
import { queryKeys } from '@/components/ui/query-keys';
import { RunProgress } from '@/components/ui/run-progress';
import { StatusMessage } from '@/components/ui/status-message';
import { useRequestAction } from '@/components/ui/use-action';
import { useLive } from '@/components/ui/use-live';
import { Palette } from './palette';
import { Outbox } from './outbox';
import { Button } from '@/components/ui/button';

export function PopupApp() {
  const db = getDb();
  const integrations = useLive(queryKeys.integrations(), () => listIntegrations(db));
  const team = useLive(queryKeys.team(), () => loadTeam(db));
  const resync = useRequestAction('sync.start', {
    success: (result) => (result.runs.every((run) => run.alreadyRunning) ? 'A sync is already running.' : 'Sync started.'),
  });
  // Turned-off integrations do not sync (#16): Sync now waits for one that is on.
  const connected = integrations.data?.filter((integration) => integration.connection?.ok && !integration.disabled) ?? [];

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
      <Outbox />
      {team.data?.membership ? (
        <section aria-label="Team" data-testid="popup-team">
          <h2>Team: {team.data.membership.database}</h2>
          <TeamStatusLine status={team.data.status} testId="popup-team-state" brief />
        </section>
      ) : null}
      <div className="actions">
        <Button type="button" disabled={!connected.length} onClick={() => void resync.run({})}>
          Sync now
        </Button>
        <button type="button" className="secondary" onClick={() => void browser.runtime.openOptionsPage()}>
          Options
        </button>
      </div>
      <StatusMessage status={resync.status} testId="popup-message" />
    </main>
  );
}

function IntegrationStatus({ integration }: { integration: IntegrationRow }) {
  const db = getDb();
  const run = useLive(queryKeys.latestRun(integration.id), () => latestRun(db, integration.id));
  // Not live: counting reads every row, and a running sync writes a page a second; read again when it ends.
  const counts = useQuery({ queryKey: queryKeys.recordCounts(integration.id, integration.lastSyncAt ?? 0), queryFn: () => recordCounts(db, integration.id) });
  const [now] = useState(Date.now());
  return (
    <section className="card" data-testid="integration-status" aria-label={integration.label}>
      <h2>{integration.label}</h2>
      <p className={integration.connection?.ok ? 'muted' : 'error'}>
        {integration.connection?.ok ? `Connected to ${integration.connection.companyName}` : 'Not connected: open Options.'}
        {' · '}
        <span data-testid="last-sync">{syncedAgo(integration.lastSyncAt, now)}</span>
        {integration.disabled ? ' · turned off' : ''}
      </p>
      {counts.data ? (
        <p data-testid="record-counts">
          {counts.data.company} companies · {counts.data.contact} contacts · {counts.data.configuration} configurations · {counts.data.agreement} agreements ·{' '}
          {counts.data.site} sites
        </p>
      ) : null}
      <RunProgress run={run.data} />
    </section>
  );
}

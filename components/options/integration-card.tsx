import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { browser } from '@/lib/browser';
import { hostPattern } from '@/lib/host-pattern';
import { getDb, type IntegrationRow } from '@/lib/db/schema';
import { latestRun } from '@/lib/db/queries';
import { request } from '@/lib/messaging/client';
import { queryKeys } from '@/components/ui/query-keys';
import { RunProgress } from '@/components/ui/run-progress';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { useLive } from '@/components/ui/use-live';
import { CompanyMatching } from './company-matching';
import { formFor } from '@/lib/psa/forms';
import { IntegrationForm } from './integration-form';
import { Museum } from './museum';
import { SyncLog } from './sync-log';
import { SyncOptions } from './sync-options';
import { TicketSettingsPanel } from './ticket-settings';
import { BillingPanel } from './billing-panel';
import { rightsSentence } from './write-rights';
import { SyncPreview } from './sync-preview';
import { Button } from '@/components/ui/button';
import { SETUP_STEPS, setupStep, type SetupStep } from '@/lib/setup/setup-step';

/**
 * A PSA the team brought: the overlay shows on its pages only once this browser may open them,
 * which the person allows here (the browser asks; a click is needed for that).
 */
function OverlayPermission({ integration }: { integration: IntegrationRow }) {
  const origins = [hostPattern(integration.uiOrigin)];
  const granted = useQuery({ queryKey: ['permission', integration.uiOrigin], queryFn: () => browser.permissions.contains({ origins }) });
  const allow = useAction(
    async () => {
      if (!(await browser.permissions.request({ origins }))) throw new Error(`Not allowed: the overlay stays off on ${new URL(integration.uiOrigin).host}.`);
      await request('integration.refreshPages', {});
      await granted.refetch();
      return new URL(integration.uiOrigin).host;
    },
    { success: (host) => `The overlay shows on ${host} now.` },
  );
  if (granted.data !== false) return allow.status ? <StatusMessage status={allow.status} /> : null;
  return (
    <div className="actions">
      <button type="button" onClick={() => void allow.run()}>
        Show the overlay on {new URL(integration.uiOrigin).host}
      </button>
      <StatusMessage status={allow.status} />
    </div>
  );
}

const SYNC_STARTED = 'Sync started.';

/** The setup path as a short list: what is done, and which step is next. */
function SetupSteps({ current }: { current: Exclude<SetupStep, 'done'> }) {
  const at = SETUP_STEPS.findIndex((entry) => entry.step === current);
  return (
    <ol className="setup-steps" aria-label="Setup steps" data-testid="setup-steps">
      {SETUP_STEPS.map((entry, index) => (
        <li key={entry.step} aria-current={index === at ? 'step' : undefined} className={index < at ? 'done' : index === at ? 'current' : undefined}>
          {index < at ? '✓ ' : `${index + 1}. `}
          {entry.label}
          {index < at ? <span className="visually-hidden"> (done)</span> : null}
        </li>
      ))}
    </ol>
  );
}

export function IntegrationCard({ integration }: { integration: IntegrationRow }) {
  const db = getDb();
  const run = useLive(queryKeys.latestRun(integration.id), () => latestRun(db, integration.id));
  const [editing, setEditing] = useState(false);
  const [showMatching, setShowMatching] = useState(false);
  const [showOptions, setShowOptions] = useState(false);
  const [showTickets, setShowTickets] = useState(false);
  const [showBilling, setShowBilling] = useState(false);
  const [showMuseum, setShowMuseum] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const matches = useLive(queryKeys.setupMatches(integration.id), async () => {
    const rows = await db.matches.where('[integrationId+state]').equals([integration.id, 'matched']).toArray();
    return { matched: rows.length, lastMatchedAt: rows.reduce((latest, row) => Math.max(latest, row.decidedAt ?? 0), 0) };
  });
  const connection = integration.connection;
  const running = run.data?.status === 'running';
  const step = setupStep({
    connected: !!connection?.ok,
    synced: !!integration.lastSyncAt,
    matched: matches.data?.matched ?? 0,
    lastMatchedAt: matches.data?.lastMatchedAt,
    lastSyncAt: integration.lastSyncAt,
    team: !!integration.team,
  });
  // Only the next step of the setup stands out; every other action is secondary.
  const emphasis = (...steps: SetupStep[]) => (steps.includes(step) && !running && !integration.disabled ? 'primary' : 'secondary');
  const spec = formFor(integration.psa);

  // Test, sync and remove share one message line: each action's work answers with its sentence.
  const cardAction = useAction((work: () => Promise<string>) => work(), { success: (text) => text });
  const act = (work: () => Promise<string>) => cardAction.run(work);
  // "Sync started." says nothing once that sync has ended: the run's own line says how it went.
  const [syncAskedAt, setSyncAskedAt] = useState(0);
  const startedLineStale =
    cardAction.status?.text === SYNC_STARTED && !!run.data && run.data.status !== 'running' && (run.data.finishedAt ?? run.data.stoppedAt ?? 0) >= syncAskedAt;

  return (
    <section className="card" data-testid="integration" data-integration-id={integration.id} aria-label={integration.label}>
      {/* Focusable by script only: a new integration's card takes focus once saved. */}
      <h3 tabIndex={-1}>{integration.label}</h3>
      <p data-testid="connection-status" className={connection?.ok ? 'ok' : connection ? 'error' : 'muted'}>
        {connection?.ok
          ? `Connected to ${connection.companyName}${connection.version ? ` (version ${connection.version})` : ''}`
          : connection
            ? `Connection failed: ${connection.message}`
            : integration.team
              ? 'From your team: its records, matches and options come from the team’s sync, with no API keys needed here. Add your own keys (Edit) to take over syncing it when nobody else does.'
              : 'Not tested yet'}
      </p>
      {integration.disabled ? (
        <p className="warn" data-testid="integration-disabled">
          Turned off: it does not sync and Sidecar writes nothing to it (new tickets wait). What it synced stays.
        </p>
      ) : null}
      {integration.team ? <OverlayPermission integration={integration} /> : null}
      {step !== 'done' && matches.isSuccess ? <SetupSteps current={step} /> : null}
      <RunProgress run={run.data} />
      <div className="actions">
        <button
          type="button"
          className={emphasis('connect')}
          onClick={() =>
            void act(async () => {
              const info = await request('integration.test', { integrationId: integration.id });
              return `Connected to ${info.companyName}${info.version ? ` (version ${info.version})` : ''}.${rightsSentence(info.writeRights)}`;
            })
          }
        >
          Test connection
        </button>
        <Button
          type="button"
          className={emphasis('first-sync', 'sync-again')}
          disabled={!connection?.ok || running || !!integration.disabled}
          onClick={() =>
            void act(async () => {
              setSyncAskedAt(Date.now());
              await request('sync.start', { integrationId: integration.id });
              return SYNC_STARTED;
            })
          }
        >
          {integration.lastSyncAt ? 'Sync now' : 'Start sync'}
        </Button>
        {running ? (
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void act(async () => {
                const { stopped } = await request('sync.stop', { integrationId: integration.id });
                return stopped ? 'Sync stopped. What it imported stays; the next sync goes on from there.' : 'No sync was running.';
              })
            }
            data-testid="sync-stop"
          >
            Stop sync
          </button>
        ) : null}
        <Button
          type="button"
          className={emphasis('match')}
          aria-expanded={showMatching}
          disabled={!integration.lastSyncAt && !integration.team}
          onClick={() => setShowMatching(!showMatching)}
        >
          Match companies
        </Button>
        <button type="button" className="secondary" aria-expanded={showOptions} onClick={() => setShowOptions(!showOptions)}>
          Sync options
        </button>
        <button
          type="button"
          className="secondary"
          aria-expanded={showTickets}
          onClick={() => setShowTickets(!showTickets)}
          data-testid="ticket-settings-toggle"
        >
          Tickets
        </button>
        <button type="button" className="secondary" aria-expanded={showBilling} onClick={() => setShowBilling(!showBilling)} data-testid="billing-toggle">
          Billing
        </button>
        {/* The rarer actions, Remove among them, kept apart from the setup's steps. */}
        <details className="more-actions">
          <summary>More</summary>
          <div className="actions">
            <button type="button" className="secondary" aria-expanded={showMuseum} onClick={() => setShowMuseum(!showMuseum)}>
              Museum
            </button>
            <button type="button" className="secondary" aria-expanded={showLog} onClick={() => setShowLog(!showLog)}>
              Log
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(!editing)}>
              Edit
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void act(async () => {
                  const { enabled } = await request('integration.enable', { integrationId: integration.id, enabled: !!integration.disabled });
                  return enabled ? 'Turned on: it syncs again on schedule.' : 'Turned off: nothing syncs from it or is written to it until you turn it on.';
                })
              }
              data-testid="integration-enable"
            >
              {integration.disabled ? 'Turn on' : 'Turn off'}
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                if (!confirm(`Remove ${integration.label} and everything synced from it? Client spaces stay.`)) return;
                void act(async () => {
                  await request('integration.remove', { integrationId: integration.id });
                  return 'Removed.';
                });
              }}
            >
              Remove
            </button>
          </div>
        </details>
      </div>
      {integration.lastSyncAt ? <SyncPreview integration={integration} disabled={!connection?.ok || running} /> : null}
      <StatusMessage status={startedLineStale ? undefined : cardAction.status} testId="integration-message" />
      {editing && spec ? <IntegrationForm spec={spec} integration={integration} onDone={() => setEditing(false)} /> : null}
      {showOptions ? <SyncOptions integration={integration} /> : null}
      {showTickets ? <TicketSettingsPanel integration={integration} /> : null}
      {showBilling ? <BillingPanel integration={integration} /> : null}
      {showMuseum ? <Museum integrationId={integration.id} /> : null}
      {showLog ? <SyncLog integrationId={integration.id} label={integration.label} /> : null}
      {showMatching ? <CompanyMatching integrationId={integration.id} /> : null}
    </section>
  );
}

import { getDb } from '@/lib/db/schema';
import { listIntegrations } from '@/lib/db/queries';
import { queryKeys } from '@/components/ui/query-keys';
import { useLive } from '@/components/ui/use-live';
import { useState } from 'react';
import { PSA_FORMS } from '@/lib/psa/forms';
import type { PsaKind } from '@/lib/psa/types';
import { IntegrationForm } from './integration-form';
import { LayoutsPanel } from './layouts-panel';
import { SchedulePanel } from './schedule-panel';
import { AuthorPanel } from './author-panel';
import { SetupPanel } from './setup-panel';
import { SecurityPanel } from './security-panel';
import { IntegrationCard } from './integration-card';
import { ClientSpacesPanel } from './client-spaces-panel';
import { TeamPanel } from './team-panel';

export function OptionsApp() {
  const db = getDb();
  const integrations = useLive(queryKeys.integrations(), () => listIntegrations(db));
  const available = Object.values(PSA_FORMS);
  const [adding, setAdding] = useState<PsaKind>(available[0]!.kind);
  const spec = PSA_FORMS[adding]!;
  return (
    <main>
      <h1>Sidecar</h1>
      <p className="muted">
        Connect your PSA, sync, then match its companies to client spaces. The flow follows Hudu’s integration guides: enter the API details, test, start the
        sync, match companies, and sync again to bring in their contacts, configurations, agreements and sites.
      </p>
      <h2>Integrations</h2>
      {integrations.isPending ? (
        <p className="muted">Loading…</p>
      ) : integrations.data?.length ? (
        integrations.data.map((integration) => <IntegrationCard key={integration.id} integration={integration} />)
      ) : (
        <p className="muted" data-testid="no-integrations">
          No PSA connected yet.
        </p>
      )}
      <h2>Client spaces</h2>
      <ClientSpacesPanel />
      <h2>Asset layouts</h2>
      <LayoutsPanel />
      <h2>You</h2>
      <AuthorPanel />
      <h2>Team</h2>
      <TeamPanel />
      <h2>Schedule</h2>
      <SchedulePanel />
      <h2>Setup</h2>
      <SetupPanel />
      <h2>Security</h2>
      <SecurityPanel />
      <h2>Add an integration</h2>
      <div className="actions" role="group" aria-label="PSA to add">
        {available.map((candidate) => (
          <button
            key={candidate.kind}
            type="button"
            className={candidate.kind === adding ? '' : 'secondary'}
            aria-pressed={candidate.kind === adding}
            onClick={() => setAdding(candidate.kind)}
          >
            {candidate.title}
          </button>
        ))}
      </div>
      <IntegrationForm key={spec.kind} spec={spec} />
    </main>
  );
}

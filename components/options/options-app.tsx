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
  const none = integrations.data?.length === 0;
  const listSection = (
    <section key="list" aria-labelledby="integrations">
      <h2 id="integrations">Integrations</h2>
      {integrations.isPending ? (
        <p className="muted">Loading…</p>
      ) : integrations.data?.length ? (
        integrations.data.map((integration) => <IntegrationCard key={integration.id} integration={integration} />)
      ) : (
        <p className="muted" data-testid="no-integrations">
          No PSA connected yet.
        </p>
      )}
    </section>
  );
  const addSection = (
    <section key="add" aria-labelledby="add-integration">
      <h2 id="add-integration" tabIndex={-1}>
        {none ? 'Connect your PSA' : 'Add an integration'}
      </h2>
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
    </section>
  );
  return (
    <>
      <a className="skip-link" href="#add-integration">
        Skip to adding a PSA
      </a>
      <main>
        <h1>Sidecar</h1>
        <p className="muted">
          Connect your PSA, sync, then match its companies to client spaces. The flow follows Hudu’s integration guides: enter the API details, test, start the
          sync, match companies, and sync again to bring in their contacts, configurations, agreements and sites.
        </p>
        <nav aria-label="Sections" className="sections">
          {SECTIONS.map(([id, title]) => (
            <a key={id} href={`#${id}`}>
              {title}
            </a>
          ))}
        </nav>
        {/* Nothing connected yet: connecting a PSA is the first step, so its form comes first.
            Keyed, so the form keeps what it shows when the first card arrives and it moves below. */}
        {none ? [addSection, listSection] : [listSection, addSection]}
        <h2 id="client-spaces">Client spaces</h2>
        <ClientSpacesPanel />
        <h2 id="layouts">Asset layouts</h2>
        <LayoutsPanel />
        <h2 id="schedule">Schedule</h2>
        <SchedulePanel />
        <h2 id="security">Security</h2>
        <SecurityPanel />
        <h2 id="team">Team</h2>
        <TeamPanel />
        <h2 id="you">You</h2>
        <AuthorPanel />
        <h2 id="setup">Backup: export and import the setup</h2>
        <SetupPanel />
      </main>
    </>
  );
}

/** The page's sections, in the order of Hudu's integration pages: integrations, matching, layouts, schedule, security, team, backup. */
const SECTIONS = [
  ['integrations', 'Integrations'],
  ['add-integration', 'Add a PSA'],
  ['client-spaces', 'Client spaces'],
  ['layouts', 'Asset layouts'],
  ['schedule', 'Schedule'],
  ['security', 'Security'],
  ['team', 'Team'],
  ['you', 'You'],
  ['setup', 'Backup'],
] as const;

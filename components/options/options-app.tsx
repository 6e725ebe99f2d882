import { getDb } from '@/lib/db/schema';
import { listIntegrations } from '@/lib/db/queries';
import { useLive } from '@/components/ui/use-live';
import { ConnectwiseFormView } from './connectwise-form';
import { IntegrationCard } from './integration-card';

export function OptionsApp() {
  const db = getDb();
  const integrations = useLive(['integrations'], () => listIntegrations(db));
  return (
    <main>
      <h1>Sidecar</h1>
      <p className="muted">
        Connect your PSA, sync, then match its companies to client spaces. The flow follows Hudu’s integration guides: enter the API details,
        test, start the sync, match companies, and sync again to bring in their contacts, configurations, agreements and sites.
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
      <h2>Add an integration</h2>
      <ConnectwiseFormView />
    </main>
  );
}

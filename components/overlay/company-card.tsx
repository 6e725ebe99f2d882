import type { OverlayView } from '@/lib/overlay-view/view-model';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import { syncedAgo } from '@/lib/content/relative-time';
import { OpenSpaceButton, RefreshButton } from './company-actions';

type ReadyView = Extract<OverlayView, { state: 'ready' }>;

/** The matched company: its client space (linked to the PSA), how fresh the data is, and its warnings. */
export function CompanyCard({ view, now, link }: { view: ReadyView; now: number; link: HostLink }) {
  return (
    <>
      <RefreshButton companyRemoteId={view.company.remoteId} link={link} />
      <OpenSpaceButton companyRemoteId={view.company.remoteId} link={link} />
      <h2 className="sc-company" data-testid="sidecar-company">
        {view.company.url ? (
          <a href={view.company.url} target="_top">
            {view.clientSpaceName}
          </a>
        ) : (
          view.clientSpaceName
        )}
      </h2>
      <p className="sc-muted" data-testid="sidecar-synced">
        {syncedAgo(view.lastSyncAt, now)}
        {view.ticket ? ` · ticket #${view.ticket.id}` : ''}
      </p>
      {view.failed ? (
        <p className="sc-banner sc-banner-error" role="alert" data-testid="sidecar-failed">
          {view.failed}
        </p>
      ) : null}
      {view.importing ? (
        <p className="sc-banner" role="status" data-testid="sidecar-importing">
          {view.importing.message}
        </p>
      ) : null}
      {view.stale ? (
        <p className="sc-banner" role="status" data-testid="sidecar-stale">
          {view.stale}
        </p>
      ) : null}
    </>
  );
}

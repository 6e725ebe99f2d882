import type { OverlayView } from '@/lib/overlay-view/view-model';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import { syncedAgo } from '@/lib/content/relative-time';
import { onTrusted } from '@/lib/content/gesture';
import { MatchButton } from './company-actions';

type MessageView = Extract<OverlayView, { state: 'not-configured' | 'not-synced' | 'not-found' | 'error' }>;

/** Why there is nothing to show yet, with a way to Sidecar's options when that is where the fix is. */
export function MessageState({ view, link }: { view: MessageView; link: HostLink }) {
  return (
    <div>
      <p className={`sc-state${view.state === 'error' ? ' sc-error' : ''}`} data-testid="sidecar-state" data-state={view.state}>
        {view.message}
      </p>
      {view.state === 'not-configured' || view.state === 'not-synced' ? (
        <button type="button" className="sc-icon" onClick={onTrusted(() => void link.request('overlay.openOptions', {}))}>
          Open Sidecar’s options
        </button>
      ) : null}
    </div>
  );
}

/** A company Sidecar knows but has not imported: match it here, or say why it cannot be. */
export function NotMatchedState({ view, now, link }: { view: Extract<OverlayView, { state: 'not-matched' }>; now: number; link: HostLink }) {
  return (
    <div data-testid="sidecar-state" data-state="not-matched">
      <h2 className="sc-company">{view.company.name}</h2>
      {view.archived ? (
        <p className="sc-state">
          This company is archived in Sidecar (inactive in the PSA). Restore it from the Museum in Sidecar’s options to match it and import its documentation.
        </p>
      ) : (
        <>
          <p className="sc-state">This company is not matched to a client space, so Sidecar has not imported its documentation.</p>
          <MatchButton company={view.company} offer={view.offer} link={link} />
          <p className="sc-muted">Or choose another client space in Sidecar’s options (Match companies).</p>
        </>
      )}
      <p className="sc-muted">{syncedAgo(view.lastSyncAt, now)}</p>
    </div>
  );
}

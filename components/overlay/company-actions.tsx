import { useQueryClient } from '@tanstack/react-query';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import { onTrusted } from '@/lib/content/gesture';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { Button } from '@/components/ui/button';

/** Both actions answer `{ status: 'failed', message }` when the background could not do them. */
const failedMessage = (result: { status: string; message?: string }) => (result.status === 'failed' ? result.message : undefined);

/**
 * One click: match to the best suggestion (or a new client space), then import its records.
 * Asked through the link (the host relays it as the PSA tab), and only for a real click.
 */
export function MatchButton({
  company,
  offer,
  link,
}: {
  company: { remoteId: string; name: string };
  offer?: { clientSpaceName?: string; confidence?: number; detail?: string };
  link: HostLink;
}) {
  const client = useQueryClient();
  const match = useAction(() => link.request('overlay.match', { companyRemoteId: company.remoteId }), {
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.overlayViews() }),
    failed: failedMessage,
  });
  const label = offer?.clientSpaceName ? `Match to ${offer.clientSpaceName}` : `Create client space “${company.name}”`;
  return (
    <div className="sc-match">
      <Button type="button" className="sc-primary" disabled={match.isPending} onClick={onTrusted(() => void match.run())} data-testid="sidecar-match">
        {match.isPending ? 'Matching and importing…' : label}
      </Button>
      {offer?.clientSpaceName ? (
        <p className="sc-muted" data-testid="sidecar-match-why">
          Suggested with confidence {offer.confidence}: {offer.detail}.
        </p>
      ) : null}
      <StatusMessage status={match.status} role="alert" className="sc-error" />
    </div>
  );
}

/** Resyncs this company now (its contacts, configurations, agreements and sites), then redraws. */
export function RefreshButton({ companyRemoteId, link }: { companyRemoteId: string; link: HostLink }) {
  const client = useQueryClient();
  const refresh = useAction(() => link.request('overlay.refresh', { companyRemoteId }), {
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.overlayViews() }),
    failed: failedMessage,
  });
  return (
    <div className="sc-refresh">
      <Button type="button" className="sc-icon" disabled={refresh.isPending} onClick={onTrusted(() => void refresh.run())} data-testid="sidecar-refresh">
        {refresh.isPending ? 'Refreshing…' : 'Refresh now'}
      </Button>
      <StatusMessage status={refresh.status} role="alert" className="sc-error" as="span" />
    </div>
  );
}

/** The client-space page (notes, articles, history) of this company's client, in a new tab. */
export function OpenSpaceButton({ companyRemoteId, link }: { companyRemoteId: string; link: HostLink }) {
  const open = useAction(() => link.request('overlay.openSpace', { companyRemoteId }));
  return (
    <>
      <Button type="button" className="sc-icon" disabled={open.isPending} onClick={onTrusted(() => void open.run())} data-testid="sidecar-open-space">
        Open in Sidecar
      </Button>
      <StatusMessage status={open.status} role="alert" className="sc-error" as="span" />
    </>
  );
}

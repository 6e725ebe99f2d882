import type { OverlayCredential } from '@/lib/overlay-view/view-model';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import { onTrusted } from '@/lib/content/gesture';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { Button } from '@/components/ui/button';

/**
 * The client's credentials, by name. The secret never comes here: Copy asks the background (through
 * the host, as the PSA tab), which writes the clipboard itself; "Show in Sidecar" opens the
 * client-space page, an extension page where it can be revealed.
 */
export function CredentialsSection({ credentials, companyRemoteId, link }: { credentials: OverlayCredential[]; companyRemoteId: string; link: HostLink }) {
  if (!credentials.length) return null;
  return (
    <section className="sc-section sc-credentials" data-testid="sidecar-credentials" aria-label="Credentials">
      <h3>Credentials</h3>
      <ul>
        {credentials.map((credential) => (
          <CredentialItem key={credential.id} credential={credential} companyRemoteId={companyRemoteId} link={link} />
        ))}
      </ul>
    </section>
  );
}

function CredentialItem({ credential, companyRemoteId, link }: { credential: OverlayCredential; companyRemoteId: string; link: HostLink }) {
  const copy = useAction(() => link.request('overlay.credential.copy', { companyRemoteId, credentialId: credential.id }), {
    success: ({ clearsInSeconds }) => `Copied. The clipboard is cleared in ${clearsInSeconds} s.`,
  });
  const show = useAction(() => link.request('overlay.openSpace', { companyRemoteId }));
  return (
    <li data-testid="sidecar-credential" data-locked={credential.locked || undefined}>
      {credential.about ? <span className="sc-note-about">{credential.about}: </span> : null}
      <span className="sc-credential-name">{credential.name}</span>
      {credential.username ? <span className="sc-muted"> ({credential.username})</span> : null}
      {credential.locked ? <span className="sc-badge">locked</span> : null}
      <span className="sc-credential-actions">
        <Button
          type="button"
          className="sc-copy"
          disabled={credential.locked || copy.isPending}
          title={credential.locked ? 'Locked: unlock Sidecar in its options to copy' : undefined}
          aria-label={`Copy the secret of ${credential.name}`}
          onClick={onTrusted(() => void copy.run())}
          data-testid="sidecar-credential-copy"
        >
          Copy
        </Button>
        <Button
          type="button"
          className="sc-copy"
          aria-label={`Show ${credential.name} in Sidecar`}
          disabled={show.isPending}
          onClick={onTrusted(() => void show.run())}
          data-testid="sidecar-credential-show"
        >
          Show in Sidecar
        </Button>
      </span>
      {credential.locked ? <span className="sc-note-by">Locked: unlock Sidecar in its options to copy.</span> : null}
      <StatusMessage status={copy.status ?? show.status} role="alert" className={copy.status?.kind === 'ok' ? 'sc-note-by' : 'sc-error'} as="span" />
    </li>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { CredentialView } from '@/lib/documents/read';
import { request } from '@/lib/messaging/client';
import type { ResponseOf } from '@/lib/messaging/protocol';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction, useRequestAction } from '@/components/ui/use-action';
import { HistoryPanel } from './history-panel';
import { Stamp } from './stamp';
import { Button } from '@/components/ui/button';

type Opened = ResponseOf<'docs.credential.reveal'>;

/** How long a secret copied from this page stays on the clipboard (as the overlay's Copy). */
const CLEAR_AFTER_SECONDS = 30;

/** What a version of a credential shows: its clear fields, never its sealed box. */
export const describeCredential = (content: Record<string, unknown>): string => {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const username = text(content.username);
  const url = text(content.url);
  return `${text(content.name)}${username ? ` (${username})` : ''}${url ? ` · ${url}` : ''}`;
};

/**
 * This client's credentials: name, user name and URL in the clear; the secret, the one-time
 * password seed and the notes sealed in the background, opened only on Reveal or Copy. Locked
 * vault: they are listed, marked locked, and every other part of the page works.
 */
export function CredentialsPanel({ spaceId, credentials }: { spaceId: string; credentials: CredentialView[] }) {
  const [creating, setCreating] = useState(false);
  const locked = useVaultLocked();
  return (
    <section aria-labelledby="credentials-heading" data-testid="space-credentials">
      <h2 id="credentials-heading">Credentials</h2>
      {locked ? (
        <p className="note" role="status" data-testid="credentials-locked">
          Credentials are locked: unlock in Sidecar’s options to add, reveal or copy them.
        </p>
      ) : null}
      {credentials.length === 0 ? <p className="muted">No credential for this client yet.</p> : null}
      <ul className="doc-list">
        {credentials.map((credential) => (
          <CredentialItem key={credential.id} credential={credential} locked={locked} />
        ))}
      </ul>
      {creating ? (
        <CredentialForm spaceId={spaceId} onDone={() => setCreating(false)} />
      ) : (
        <div className="actions">
          <button type="button" onClick={() => setCreating(true)}>
            New credential
          </button>
        </div>
      )}
    </section>
  );
}

/** Whether credentials cannot be opened now (a passphrase is set and Sidecar is locked). */
export function useVaultLocked(): boolean {
  const vault = useQuery({ queryKey: queryKeys.vault(), queryFn: () => request('vault.status', {}) });
  return vault.data?.protected === true && vault.data.locked;
}

export function CredentialItem({ credential, locked }: { credential: CredentialView; locked: boolean }) {
  const [editing, setEditing] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  // What Reveal opened, for the revision it was opened at: a new revision (an edit here or elsewhere) hides it.
  const [revealed, setRevealed] = useState<{ rev: string; opened: Opened }>();
  const opened = revealed?.rev === credential.rev ? revealed.opened : undefined;
  const reveal = useRequestAction('docs.credential.reveal', { onSuccess: (data) => setRevealed({ rev: credential.rev, opened: data }) });
  const copy = useCopy(credential.id);
  const binning = useRequestAction('docs.bin', { success: () => 'Moved to the bin.' });
  if (editing) {
    return (
      <li className="doc-item" data-testid="space-credential">
        <CredentialForm credential={credential} onDone={() => setEditing(false)} />
      </li>
    );
  }
  return (
    <li className="doc-item" data-testid="space-credential">
      <p className="credential-line">
        <strong data-testid="credential-name">{credential.name}</strong>
        {credential.username ? <span> · {credential.username}</span> : null}
        {credential.url ? (
          <>
            {' · '}
            <a href={credential.url} target="_blank" rel="noreferrer noopener">
              {credential.url}
            </a>
          </>
        ) : null}
        {locked ? <span className="muted"> · locked</span> : null}
      </p>
      {opened ? (
        <dl className="credential-secret" data-testid="credential-revealed">
          <dt>Secret</dt>
          <dd>
            <code data-testid="credential-secret">{opened.secret}</code>
          </dd>
          {opened.otpSeed ? (
            <>
              <dt>One-time password seed</dt>
              <dd>
                <code>{opened.otpSeed}</code>
              </dd>
            </>
          ) : null}
          {opened.notes ? (
            <>
              <dt>Notes</dt>
              <dd className="note-text">{opened.notes}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <Stamp by={credential.by} at={credential.at} />
      <div className="actions">
        {opened ? (
          <button type="button" className="secondary" onClick={() => setRevealed(undefined)}>
            Hide
          </button>
        ) : (
          <Button type="button" className="secondary" disabled={reveal.isPending} onClick={() => void reveal.run({ id: credential.id })}>
            Reveal
          </Button>
        )}
        <Button type="button" className="secondary" disabled={copy.isPending} onClick={() => void copy.run()}>
          Copy
        </Button>
        <button type="button" className="secondary" onClick={() => setEditing(true)}>
          Edit
        </button>
        <button type="button" className="secondary" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
          History
        </button>
        <Button
          type="button"
          className="secondary danger"
          disabled={binning.isPending}
          onClick={() => void binning.run({ id: credential.id, baseRev: credential.rev })}
        >
          Delete
        </Button>
      </div>
      <StatusMessage status={reveal.status ?? copy.status ?? binning.status} testId="credential-result" />
      {showHistory ? <HistoryPanel docId={credential.id} currentRev={credential.rev} describe={describeCredential} /> : null}
    </li>
  );
}

/**
 * Copy from this page: the secret is opened by the background for this extension page and written
 * with the page's own clipboard access; an empty text replaces it after 30 s if the page is still
 * open (it cannot read the clipboard to see whether the person copied something else since).
 */
function useCopy(id: string) {
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useAction(
    async () => {
      const { secret } = await request('docs.credential.reveal', { id });
      await navigator.clipboard.writeText(secret);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void navigator.clipboard.writeText('').catch(() => undefined), CLEAR_AFTER_SECONDS * 1000);
    },
    { success: () => `Copied. The clipboard is cleared in ${CLEAR_AFTER_SECONDS} s if this page stays open.` },
  );
}

/** Where a new credential goes: the client space, or one of its records. */
export type CredentialPlace = { spaceId: string } | { integrationId: string; entity: 'contact' | 'configuration' | 'site'; remoteId: string };

export function CredentialForm({
  spaceId,
  place,
  credential,
  onDone,
}: {
  spaceId?: string;
  place?: CredentialPlace;
  credential?: CredentialView;
  onDone: () => void;
}) {
  const [name, setName] = useState(credential?.name ?? '');
  const [username, setUsername] = useState(credential?.username ?? '');
  const [url, setUrl] = useState(credential?.url ?? '');
  const [secret, setSecret] = useState('');
  // On an edit the seed and the notes are sealed: kept as they are unless opened here to change them.
  const [sealedExtras, setSealedExtras] = useState<{ otpSeed: string; notes: string } | undefined>(credential ? undefined : { otpSeed: '', notes: '' });
  const [baseRev] = useState(credential?.rev);
  const opening = useRequestAction('docs.credential.reveal', {
    onSuccess: (opened) => setSealedExtras({ otpSeed: opened.otpSeed ?? '', notes: opened.notes ?? '' }),
  });
  const saving = useRequestAction('docs.credential.save', { success: () => 'Credential saved.', onSuccess: onDone });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void saving.run({
      ...(credential ? { id: credential.id, baseRev } : { place: place ?? { spaceId: spaceId! } }),
      name,
      username,
      url,
      ...(secret ? { secret } : {}),
      ...(sealedExtras ? sealedExtras : {}),
    });
  };
  const error = saving.fieldErrors;
  const field = (label: string, key: string, input: ReactNode, hint?: string) => (
    <label className="field">
      <span>{label}</span>
      {input}
      {hint ? <small className="muted">{hint}</small> : null}
      {error[key] ? <small className="error">{error[key]}</small> : null}
    </label>
  );
  return (
    <form className="card" onSubmit={submit} aria-label={credential ? 'Edit credential' : 'New credential'} data-testid="credential-form">
      {field(
        'Name',
        'name',
        <input name="name" value={name} maxLength={400} aria-invalid={error.name ? true : undefined} onChange={(event) => setName(event.target.value)} />,
      )}
      {field(
        'User name',
        'username',
        <input
          name="username"
          autoComplete="off"
          value={username}
          aria-invalid={error.username ? true : undefined}
          onChange={(event) => setUsername(event.target.value)}
        />,
      )}
      {field(
        'URL',
        'url',
        <input name="url" type="url" value={url} aria-invalid={error.url ? true : undefined} onChange={(event) => setUrl(event.target.value)} />,
      )}
      {field(
        'Secret',
        'secret',
        <input
          name="secret"
          type="password"
          autoComplete="new-password"
          value={secret}
          aria-invalid={error.secret ? true : undefined}
          onChange={(event) => setSecret(event.target.value)}
        />,
        credential ? 'Leave blank to keep the current secret.' : undefined,
      )}
      {sealedExtras ? (
        <>
          {field(
            'One-time password seed (optional)',
            'otpSeed',
            <input
              name="otpSeed"
              autoComplete="off"
              value={sealedExtras.otpSeed}
              aria-invalid={error.otpSeed ? true : undefined}
              onChange={(event) => setSealedExtras({ ...sealedExtras, otpSeed: event.target.value })}
            />,
            'Base32, as an authenticator app is given it.',
          )}
          <label className="field wide">
            <span>Notes (sealed like the secret)</span>
            <textarea
              name="notes"
              rows={3}
              value={sealedExtras.notes}
              aria-invalid={error.notes ? true : undefined}
              onChange={(event) => setSealedExtras({ ...sealedExtras, notes: event.target.value })}
            />
            {error.notes ? <small className="error">{error.notes}</small> : null}
          </label>
        </>
      ) : (
        <div className="actions">
          <span className="muted">The one-time password seed and the notes are kept as they are.</span>
          <Button type="button" className="secondary" disabled={opening.isPending} onClick={() => void opening.run({ id: credential!.id })}>
            Change seed and notes
          </Button>
        </div>
      )}
      <StatusMessage status={opening.status} />
      <div className="actions">
        <Button type="submit" disabled={saving.isPending}>
          Save credential
        </Button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      <StatusMessage status={saving.status} testId="credential-form-result" />
    </form>
  );
}

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { request } from '@/lib/messaging/client';
import { MIN_PASSPHRASE_LENGTH } from '@/lib/secrets/kdf';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';

/**
 * Credentials are always encrypted at rest; a passphrase makes that protection real (without it
 * the key sits beside them). Locked: nothing syncs until the passphrase is entered again.
 */
export function SecurityPanel() {
  const client = useQueryClient();
  const status = useQuery({ queryKey: queryKeys.vault(), queryFn: () => request('vault.status', {}) });
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [current, setCurrent] = useState('');
  // Unlock, lock and the passphrase changes each answer with the vault's new status.
  const vaultAction = useAction(({ work }: { work: () => Promise<unknown>; done: string }) => work(), {
    onSuccess: (vault) => {
      client.setQueryData(queryKeys.vault(), vault);
      setNext('');
      setConfirm('');
      setCurrent('');
    },
    success: (_, { done }) => done,
  });
  const errors = vaultAction.fieldErrors;

  const run = (event: FormEvent | undefined, work: () => Promise<unknown>, done: string) => {
    event?.preventDefault();
    return vaultAction.run({ work, done });
  };
  const setPassphrase = (event: FormEvent, value: string | null) => {
    if (value !== null && value !== confirm) {
      event.preventDefault();
      vaultAction.refuse(undefined, { confirm: 'The two passphrases differ.' });
      return;
    }
    void run(
      event,
      () => request('vault.passphrase', { next: value, ...(status.data?.protected ? { current } : {}) }),
      value === null ? 'Passphrase removed.' : 'Passphrase set. Sidecar stays unlocked until the browser closes.',
    );
  };
  const field = (name: string, label: string, value: string, onChange: (value: string) => void) => (
    <label className="field">
      <span>{label}</span>
      <input type="password" name={name} autoComplete="off" value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={!!errors[name]} />
      {errors[name] ? <small className="error">{errors[name]}</small> : null}
    </label>
  );

  if (!status.data) return <p className="muted">Loading…</p>;
  const state = status.data;
  return (
    <section className="card" aria-label="Security" data-testid="security">
      <p data-testid="vault-status">
        {!state.protected
          ? 'Credentials are encrypted at rest, but without a passphrase the key is stored beside them: this stops a casual look at the profile’s files, not malware.'
          : state.locked
            ? 'Locked: enter the passphrase to sync. The overlay keeps showing what is synced.'
            : 'Protected by your passphrase and unlocked until the browser closes.'}
      </p>
      {state.protected && state.locked ? (
        <form aria-label="Unlock" onSubmit={(event) => void run(event, () => request('vault.unlock', { passphrase: current }), 'Unlocked.')}>
          {field('current', 'Passphrase', current, setCurrent)}
          <button type="submit">Unlock</button>
        </form>
      ) : (
        <form aria-label={state.protected ? 'Change passphrase' : 'Set a passphrase'} onSubmit={(event) => setPassphrase(event, next)}>
          {state.protected ? field('current', 'Current passphrase', current, setCurrent) : null}
          {field('passphrase', `New passphrase (at least ${MIN_PASSPHRASE_LENGTH} characters)`, next, setNext)}
          {field('confirm', 'Repeat it', confirm, setConfirm)}
          <div className="actions">
            <button type="submit">{state.protected ? 'Change passphrase' : 'Set passphrase'}</button>
            {state.protected ? (
              <>
                <button type="button" className="secondary" onClick={(event) => setPassphrase(event as unknown as FormEvent, null)}>
                  Remove passphrase
                </button>
                <button type="button" className="secondary" onClick={() => void run(undefined, () => request('vault.lock', {}), 'Locked.')}>
                  Lock now
                </button>
              </>
            ) : null}
          </div>
        </form>
      )}
      <StatusMessage status={vaultAction.status} testId="security-message" />
    </section>
  );
}

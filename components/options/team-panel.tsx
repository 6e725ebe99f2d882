import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { browser } from '@/lib/browser';
import { loadTeam } from '@/lib/db/queries';
import { getDb } from '@/lib/db/schema';
import { hostPattern } from '@/lib/host-pattern';
import { request } from '@/lib/messaging/client';
import { managedTeamSettings } from '@/lib/team/managed';
import { TeamStatusLine } from '@/components/ui/team-status';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction, type Action } from '@/components/ui/use-action';
import type { ActionStatus } from '@/components/ui/action-status';
import { useLive } from '@/components/ui/use-live';
import { Button } from '@/components/ui/button';

/**
 * The team (#15): this browser replicates client spaces and documentation with the MSP's own
 * CouchDB database. Not joined: the server, database, login and team passphrase, with Test and
 * Join. Joined: how the replication goes, Replicate now, Leave.
 */

type Fields = { serverUrl: string; database: string; username: string; password: string };
const EMPTY: Fields = { serverUrl: '', database: '', username: '', password: '' };

export function TeamPanel() {
  const team = useLive(queryKeys.team(), () => loadTeam(getDb()));
  const managed = useQuery({ queryKey: queryKeys.managedTeam(), queryFn: managedTeamSettings });
  // Owned here: joining swaps the form for the team's status, and the outcome stays in view.
  const join = useAction((settings: Fields & { passphrase: string }) => request('team.join', settings), {
    success: ({ created }) => (created ? 'Team set up: you are its first member.' : 'Joined the team.'),
  });
  if (team.isPending || managed.isPending) return <p className="muted">Loading…</p>;
  if (team.data?.membership) return <JoinedTeam team={team.data} joined={join.status} />;
  return <JoinTeam managed={managed.data ?? {}} join={join} />;
}

function JoinTeam({ managed, join }: { managed: { serverUrl?: string; database?: string }; join: Action<Fields & { passphrase: string }> }) {
  const [fields, setFields] = useState<Fields>({ ...EMPTY, ...managed });
  const [passphrase, setPassphrase] = useState('');
  const test = useAction((settings: Fields) => request('team.test', settings), {
    success: (result) => result.message,
  });
  const errors = { ...test.fieldErrors, ...join.fieldErrors };

  // The browser asks the person to allow the server's origin: inside the click, before the request.
  const allowed = async (action: Action<never>): Promise<boolean> => {
    let origin: string;
    try {
      origin = new URL(fields.serverUrl.trim()).origin;
    } catch {
      return true; // the background names what is wrong with the address
    }
    const granted = await browser.permissions.request({ origins: [hostPattern(origin)] }).catch(() => false);
    if (!granted) action.refuse(undefined, { serverUrl: `Sidecar needs permission to reach ${new URL(origin).host}. Try again and choose Allow.` });
    return granted;
  };
  const onTest = async () => {
    join.reset();
    if (await allowed(test)) await test.run(fields);
  };
  const onJoin = async (event: FormEvent) => {
    event.preventDefault();
    test.reset();
    if (await allowed(join)) await join.run({ ...fields, passphrase });
  };
  const input = (name: keyof Fields | 'passphrase', label: string, hint?: string) => {
    const value = name === 'passphrase' ? passphrase : fields[name];
    const locked = name === 'serverUrl' ? !!managed.serverUrl : name === 'database' ? !!managed.database : false;
    return (
      <label className="field">
        <span>{label}</span>
        <input
          name={name}
          type={name === 'password' || name === 'passphrase' ? 'password' : 'text'}
          autoComplete="off"
          value={value}
          readOnly={locked}
          aria-invalid={errors[name] ? true : undefined}
          aria-describedby={errors[name] ? `team-${name}-error` : undefined}
          onChange={(event) => (name === 'passphrase' ? setPassphrase(event.target.value) : setFields({ ...fields, [name]: event.target.value }))}
        />
        {errors[name] ? (
          <small className="error" id={`team-${name}-error`}>
            {errors[name]}
          </small>
        ) : hint ? (
          <small className="muted">{locked ? 'Set by your organisation.' : hint}</small>
        ) : null}
      </label>
    );
  };
  return (
    <form className="card" aria-label="Team" data-testid="team" onSubmit={(event) => void onJoin(event)}>
      <p className="muted">
        Share client spaces and documentation with your team through your MSP’s own CouchDB server. Your PSA keys never leave this browser; credentials travel
        sealed under the team passphrase, which the server never sees.
      </p>
      {input('serverUrl', 'Team server', 'e.g. https://couch.example.com (https, except on this computer)')}
      {input('database', 'Database', 'e.g. sidecar-team: created by your CouchDB admin, with you as a member')}
      {input('username', 'Your CouchDB user')}
      {input('password', 'Your CouchDB password')}
      {input('passphrase', 'Team passphrase', 'The same for the whole team; the first member chooses it (at least 12 characters).')}
      <div className="actions">
        <Button type="button" className="secondary" disabled={test.isPending || join.isPending} onClick={() => void onTest()}>
          Test
        </Button>
        <Button type="submit" disabled={test.isPending || join.isPending}>
          Join team
        </Button>
      </div>
      <StatusMessage status={test.isPending ? { kind: 'busy', text: 'Testing…' } : test.status} testId="team-test-result" />
      <StatusMessage
        status={join.isPending ? { kind: 'busy', text: 'Joining… (deriving the team key takes a moment)' } : join.status}
        testId="team-join-result"
      />
    </form>
  );
}

/** Who syncs each PSA for the team: the browser holding its lease. */
function SyncLeases() {
  const leases = useQuery({ queryKey: queryKeys.teamLeases(), queryFn: () => request('team.leases', {}), refetchInterval: 30_000 });
  if (!leases.data?.leases.length) return null;
  return (
    <ul className="plain" aria-label="Who syncs each PSA for the team" data-testid="team-leases">
      {leases.data.leases.map((lease) => (
        <li key={lease.label}>
          {lease.label}:{' '}
          {lease.live
            ? `synced for the team by ${lease.mine ? 'this browser' : `${lease.holder}’s browser`} (turn held until ${new Date(lease.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}, renewed while it syncs)`
            : `nobody’s turn now (last ${lease.holder}); the next member with its API keys to run a scheduled sync takes it`}
        </li>
      ))}
    </ul>
  );
}

function JoinedTeam({ team, joined }: { team: Awaited<ReturnType<typeof loadTeam>>; joined: ActionStatus | undefined }) {
  const membership = team.membership!;
  const status = team.status;
  const [confirming, setConfirming] = useState(false);
  const restart = useAction(() => request('team.restart', {}), { success: () => 'Replication restarted.' });
  const leave = useAction(() => request('team.leave', {}), { success: () => 'Left the team.' });
  return (
    <section className="card" aria-label="Team" data-testid="team">
      <p>
        Member of <strong>{membership.database}</strong> on {membership.serverUrl} as <strong>{membership.username}</strong>.
      </p>
      <TeamStatusLine status={status} testId="team-state" />
      {team.conflictsKept ? (
        <p className="muted" data-testid="team-conflicts">
          {team.conflictsKept === 1
            ? '1 document was edited on two computers at once: both versions are kept (open it to see).'
            : `${team.conflictsKept} documents were edited on two computers at once: both versions of each are kept (open them to see).`}
        </p>
      ) : null}
      <SyncLeases />
      <div className="actions">
        <Button type="button" className="secondary" disabled={restart.isPending} onClick={() => void restart.run()}>
          Replicate now
        </Button>
        {confirming ? (
          <>
            <Button type="button" className="danger" disabled={leave.isPending} onClick={() => void leave.run()}>
              Leave and remove the team’s documentation here
            </Button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="secondary" onClick={() => setConfirming(true)}>
            Leave team…
          </button>
        )}
      </div>
      {confirming ? <p className="muted">The team’s client spaces and documentation stay on its server; this browser keeps its own PSA setup.</p> : null}
      <StatusMessage status={joined} testId="team-join-result" />
      <StatusMessage status={restart.status ?? leave.status} testId="team-action-result" />
    </section>
  );
}

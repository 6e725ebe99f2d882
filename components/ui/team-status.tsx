import type { TeamStatusPreference } from '@/lib/db/schema';
import { ago } from '@/lib/content/relative-time';

/** How the team replication goes, in words (Options → Team and the popup). */
export const TEAM_STATE_WORDS: Record<TeamStatusPreference['state'], string> = {
  starting: 'Starting…',
  replicating: 'Replicating…',
  idle: 'Up to date with the team.',
  offline: 'Offline.',
  locked: 'Locked.',
  refused: 'Refused by the team server.',
  error: 'Stopped.',
};

export function TeamStatusLine({ status, testId, brief = false }: { status: TeamStatusPreference | null; testId: string; brief?: boolean }) {
  const state = status?.state ?? 'starting';
  const bad = state === 'refused' || state === 'error';
  const when = status?.lastReplicatedAt ? ` Last up to date ${ago(status.lastReplicatedAt, Date.now())}.` : '';
  return (
    <p data-testid={testId} className={bad ? 'error' : state === 'idle' ? undefined : 'muted'}>
      {TEAM_STATE_WORDS[state]}
      {!brief && status?.message ? ` ${status.message}` : ''}
      {when}
    </p>
  );
}

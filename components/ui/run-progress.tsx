import type { RunRow } from '@/lib/db/schema';
import { useState } from 'react';
import { useNow } from './use-now';
import { describeRunTimeLeft, describeTimeLeft, runTimeLeft, stepTimeLeftMs } from '@/lib/sync/eta';

const ENTITY_LABEL = { company: 'Companies', contact: 'Contacts', configuration: 'Configurations', agreement: 'Agreements', site: 'Sites' } as const;

/**
 * The progress bar of a running sync, or the outcome of the last one; a screen reader hears when
 * a sync it watched running ends.
 */
export function RunProgress({ run }: { run: RunRow | undefined }) {
  return (
    <>
      <RunEndAnnouncer run={run} />
      <RunLine run={run} />
    </>
  );
}

/**
 * A live region kept mounted (a region added with its text is not read), which speaks once when
 * the run it saw running has finished, stopped or failed; a run already over when the page
 * opened is not news.
 */
function RunEndAnnouncer({ run }: { run: RunRow | undefined }) {
  const [seenRunning, setSeenRunning] = useState<string>();
  if (run?.status === 'running' && seenRunning !== run.id) setSeenRunning(run.id);
  const ended = run && run.status !== 'running' && seenRunning === run.id;
  return (
    <span className="visually-hidden" role="status" data-testid="run-announcement">
      {ended
        ? run.status === 'succeeded'
          ? 'Sync finished.'
          : run.status === 'stopped'
            ? 'Sync stopped.'
            : `Sync failed: ${run.error?.message ?? 'unknown error'}`
        : ''}
    </span>
  );
}

function RunLine({ run }: { run: RunRow | undefined }) {
  // Rendered again with each page the sync commits, and every 30 s: the time left counts down
  // between commits too (a paced run may wait an hour for its window).
  useNow();
  if (!run)
    return (
      <p className="muted" data-testid="run-status">
        Not synced yet.
      </p>
    );
  if (run.status === 'running') {
    const progress = run.progress;
    const step = run.steps[run.stepIndex];
    // A details step reads companies' own records (e.g. Halo's websites), not the company list again;
    // a first-read step, the lists of a company a technician opened (lib/sync/company-first.ts).
    const what = step?.mode === 'details' ? 'Company records' : progress && ENTITY_LABEL[progress.entity];
    const label = step?.first
      ? `${ENTITY_LABEL[step.entity]} of a company opened in the PSA, read first`
      : progress
        ? `${what}: ${progress.done}${progress.total !== undefined ? ` of ${progress.total}` : ''}`
        : 'Starting…';
    // As the pacer will let the run go; a run started before Sidecar kept its pace, from the step's pace so far.
    const now = Date.now();
    const paced = runTimeLeft(run, now);
    const stepLeft = paced ? undefined : stepTimeLeftMs(progress, now);
    const left = paced ? describeRunTimeLeft(paced, run.steps.length - run.stepIndex - 1) : stepLeft !== undefined ? describeTimeLeft(stepLeft) : undefined;
    return (
      <div data-testid="run-status" data-status="running" data-run={run.id}>
        <progress aria-label="Sync progress" {...(progress?.total ? { max: progress.total, value: Math.min(progress.done, progress.total) } : {})} />
        <span className="progress-label">
          Syncing · step {Math.min(run.stepIndex + 1, run.steps.length)} of {run.steps.length} · {label}
          {left ? <span data-testid="time-left"> · {left}</span> : null}
        </span>
        {/* Waiting for the rate limit's window is the plan, not a failure. */}
        {run.error ? (
          <p className="warn" data-testid="run-waiting">
            {run.error.code === 'rate-limited' ? 'Waiting' : 'Retrying'}: {run.error.message}
          </p>
        ) : null}
      </div>
    );
  }
  const counts = Object.entries(run.counts)
    // A resync writes only what changed (#17): "Contacts 40,000 read, 12 written".
    .map(
      ([entity, count]) =>
        `${ENTITY_LABEL[entity as keyof typeof ENTITY_LABEL]} ${count.fetched.toLocaleString('en')} read, ${count.written.toLocaleString('en')} written`,
    )
    .join(', ');
  const rejected = Object.values(run.counts).reduce((sum, count) => sum + count.rejected, 0);
  if (run.status === 'stopped') {
    return (
      <p className="warn" data-testid="run-status" data-status="stopped" data-run={run.id}>
        Sync stopped {new Date(run.stoppedAt ?? run.startedAt).toLocaleString()} at step {Math.min(run.stepIndex + 1, run.steps.length)} of {run.steps.length}
        {counts ? ` · ${counts} so far` : ''}. The next sync goes on from there.
      </p>
    );
  }
  return run.status === 'succeeded' ? (
    <p data-testid="run-status" data-status="succeeded" data-run={run.id}>
      Last sync finished {new Date(run.finishedAt ?? run.startedAt).toLocaleString()}
      {run.finishedAt ? ` in ${Math.max(1, Math.round((run.finishedAt - run.startedAt) / 1000))} s` : ''}
      {counts ? ` · ${counts}` : ''}
      {rejected ? ` · ${rejected} record${rejected === 1 ? '' : 's'} set aside (see the log)` : ''}
    </p>
  ) : (
    <p className="error" data-testid="run-status" data-status="failed" data-run={run.id} role="alert">
      Last sync failed: {run.error?.message ?? 'unknown error'}
    </p>
  );
}

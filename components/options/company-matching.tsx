import { memo, useId, useMemo, useState } from 'react';
import { getDb } from '@/lib/db/schema';
import { createMatcher, DEFAULT_THRESHOLD, type MatchSuggestion, type SuggestionReason } from '@/lib/match/company-match';
import { matchingTables } from '@/lib/db/queries';
import { matchingRecords, type MatchingContextData } from '@/lib/match/match-data';
import { keptMatchDecisions } from '@/lib/documents/kept-decisions';
import { request } from '@/lib/messaging/client';
import type { MatchDecision } from '@/lib/match/decision';
import { listsInWords } from '@/lib/psa/types';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction, useRequestAction } from '@/components/ui/use-action';
import { useLive } from '@/components/ui/use-live';
import { NarrowField, useNarrowed } from '@/components/ui/narrowed-list';
import { useLiveRecords } from '@/components/ui/use-live-records';
import { ClientSpaceSelect, spaceChoice } from './client-space-select';
import { Button } from '@/components/ui/button';

/** Choice value in a row's select: "create", "unmatched" or "space:<id>". */
type Choice = string;

const REASON_LABEL: Record<SuggestionReason, string> = {
  'psa-id': 'same PSA id',
  'exact-name': 'exact name',
  'normalised-name': 'normalised name',
  website: 'website',
  phone: 'phone',
};

function toDecision(companyRemoteId: string, choice: Choice): MatchDecision {
  if (choice === 'create') return { companyRemoteId, action: 'create' };
  if (choice === 'unmatched') return { companyRemoteId, action: 'unmatched' };
  return { companyRemoteId, action: 'match', clientSpaceId: choice.slice('space:'.length) };
}

/** The threshold input's text as a confidence 0–100, or undefined while it is not one. */
function parseThreshold(text: string): number | undefined {
  if (!/^\s*\d{1,3}\s*$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 0 && value <= 100 ? value : undefined;
}

/**
 * Hudu's matching step: every pending PSA company with its best suggested client space
 * (confidence and reason shown, the select preset to it). The user accepts the suggestions at or
 * above a threshold, bulk creates/matches all pending companies (match where the suggestion
 * reaches the threshold, create otherwise), or chooses per company.
 */
// Memoised: the card around it re-renders on every page a sync commits (its progress), and
// re-rendering thousands of rows each time would slow the sync's own renderer process.
export const CompanyMatching = memo(function CompanyMatching({ integrationId }: { integrationId: string }) {
  const db = getDb();
  // The small tables live; the companies read again only when companies change (not on every page a sync commits).
  const tables = useLive(queryKeys.matchingTables(), () => matchingTables(db));
  const records = useLiveRecords(
    db,
    queryKeys.matchingRecords(integrationId),
    { entities: ['company'] },
    () => matchingRecords(db, integrationId, tables.data!.matches),
    [tables.data ? tables.dataUpdatedAt : undefined],
  );
  const data = useMemo(
    (): { data?: MatchingContextData; isPending: boolean } =>
      tables.data && records.data ? { data: { ...tables.data, ...records.data }, isPending: false } : { isPending: true },
    [tables.data, records.data],
  );
  const kept = useLive(queryKeys.keptDecisions(integrationId), () => keptMatchDecisions(db, integrationId));
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [thresholdText, setThresholdText] = useState(String(DEFAULT_THRESHOLD));
  const applying = useRequestAction('match.apply', {
    onSuccess: (_, { decisions }) => {
      const applied = new Set(decisions.map((decision) => decision.companyRemoteId));
      setChoices((previous) => Object.fromEntries(Object.entries(previous).filter(([remoteId]) => !applied.has(remoteId))));
    },
    success: (result) => `${result.matched} matched, ${result.created} created, ${result.unmatched} left unmatched. Sync now to bring in their records.`,
  });
  // A row's Sync neither disables the table nor hides the last message until it answers.
  const resyncing = useAction(({ remoteId }: { remoteId: string; name: string }) => request('sync.company', { integrationId, companyRemoteId: remoteId }), {
    success: (result, { name }) =>
      !result.alreadyRunning
        ? `Sync of ${name} started.`
        : result.readFirst?.length
          ? `A sync is running: it reads ${name}’s ${listsInWords(result.readFirst)} first.`
          : 'A sync is already running; it includes this company.',
  });
  const busy = applying.isPending;
  const message = resyncing.status ?? applying.status;
  const ids = useId();

  const threshold = parseThreshold(thresholdText);

  const spaces = useMemo(() => {
    const list = data.data?.clientSpaces ?? [];
    return { byId: new Map(list.map((space) => [space.id, space])), names: new Map(list.map((space) => [space.id, space.name])) };
  }, [data.data]);

  const rows = useMemo(() => {
    if (!data.data) return [];
    const { companies, matches, clientSpaces, integrations, matchedCompanies } = data.data;
    const suggest = createMatcher({ integrations, matches, clientSpaces, matchedCompanies });
    const matchOf = new Map(matches.filter((match) => match.integrationId === integrationId).map((match) => [match.companyRemoteId, match]));
    return companies.map((company) => {
      const match = matchOf.get(company.remoteId);
      const suggestion: MatchSuggestion | undefined = match ? undefined : suggest({ ...company, integrationId })[0];
      const current: Choice | undefined = match
        ? match.state === 'matched' && match.clientSpaceId
          ? spaceChoice(match.clientSpaceId)
          : 'unmatched'
        : undefined;
      const proposed: Choice = current ?? (suggestion ? spaceChoice(suggestion.clientSpaceId) : 'create');
      return { company, match, suggestion, current, proposed };
    });
  }, [data.data, integrationId]);
  // The table shows a window of the companies, found by name (the bulk actions still take them all).
  const narrowed = useNarrowed(rows, (row) => (row.company.data as { name: string }).name);

  if (data.isPending) return <p className="muted">Loading companies…</p>;
  if (!rows.length) return <p className="muted">No companies yet: start a sync first, then match them here.</p>;

  const clientSpaces = data.data?.clientSpaces ?? [];
  const spaceById = spaces.byId;
  const spaceName = spaces.names;
  const pending = rows.filter((row) => !row.match);
  const reaches = (suggestion: MatchSuggestion | undefined): suggestion is MatchSuggestion =>
    suggestion !== undefined && threshold !== undefined && suggestion.confidence >= threshold;
  // Accept: pending rows whose suggestion reaches the threshold, unless the user chose otherwise in the row.
  const acceptable = pending.filter((row) => {
    if (!reaches(row.suggestion)) return false;
    const chosen = choices[row.company.remoteId];
    return chosen === undefined || chosen === spaceChoice(row.suggestion.clientSpaceId);
  });
  // Bulk: the user's choice in a row, else match where the suggestion reaches the threshold, else create.
  const bulkChoice = (row: (typeof rows)[number]): Choice =>
    choices[row.company.remoteId] ?? (reaches(row.suggestion) ? spaceChoice(row.suggestion.clientSpaceId) : 'create');
  const changed = rows.filter((row) => choices[row.company.remoteId] !== undefined && choices[row.company.remoteId] !== row.current);

  const apply = async (decisions: MatchDecision[]) => {
    if (!decisions.length) return;
    resyncing.reset();
    await applying.run({ integrationId, decisions });
  };

  const thresholdLabel = threshold ?? '…';
  return (
    <div className="matching" data-testid="matching">
      <div className="actions">
        <label htmlFor={`${ids}-threshold`}>Confidence threshold</label>
        <input
          id={`${ids}-threshold`}
          type="number"
          min={0}
          max={100}
          step={5}
          inputMode="numeric"
          value={thresholdText}
          aria-invalid={threshold === undefined}
          aria-describedby={`${ids}-threshold-help`}
          disabled={busy}
          onChange={(event) => setThresholdText(event.target.value)}
          style={{ width: '5em' }}
        />
        <Button
          type="button"
          disabled={busy || !acceptable.length}
          onClick={() => void apply(acceptable.map((row) => toDecision(row.company.remoteId, spaceChoice(row.suggestion!.clientSpaceId))))}
        >
          Accept {acceptable.length} suggestion{acceptable.length === 1 ? '' : 's'} ≥ {thresholdLabel}
        </Button>
        <Button
          type="button"
          disabled={busy || !pending.length || threshold === undefined}
          onClick={() => void apply(pending.map((row) => toDecision(row.company.remoteId, bulkChoice(row))))}
        >
          Bulk create/match all ({pending.length} pending)
        </Button>
        <Button
          type="button"
          className="secondary"
          disabled={busy || !changed.length}
          onClick={() => void apply(changed.map((row) => toDecision(row.company.remoteId, choices[row.company.remoteId]!)))}
        >
          Save {changed.length} change{changed.length === 1 ? '' : 's'}
        </Button>
      </div>
      <p id={`${ids}-threshold-help`} className={threshold === undefined ? 'error' : 'muted'}>
        {threshold === undefined
          ? 'Enter a confidence from 0 to 100.'
          : `Accept matches pending companies whose suggestion has a confidence of ${threshold} or more; the rest stay pending for review. Bulk create/match all matches those too and creates a client space for every other pending company (a choice made in a row wins).`}
      </p>
      <StatusMessage status={message} testId="matching-result" />
      <NarrowField narrowed={narrowed} label="Find a PSA company" noun="companies" />
      <table aria-label="Company matching">
        <thead>
          <tr>
            <th scope="col">PSA company</th>
            <th scope="col">Status</th>
            <th scope="col">Suggestion</th>
            <th scope="col">Client space</th>
          </tr>
        </thead>
        <tbody>
          {narrowed.shown.map((row) => {
            const name = (row.company.data as { name: string }).name;
            const value = choices[row.company.remoteId] ?? row.proposed;
            const suggestion = row.suggestion;
            return (
              <tr
                key={row.company.remoteId}
                data-testid="match-row"
                data-company={name}
                data-state={row.match ? row.match.state : 'pending'}
                data-confidence={suggestion?.confidence}
              >
                <td>
                  {name}
                  <span className="muted"> #{row.company.remoteId}</span>
                </td>
                <td data-testid="match-status">
                  {row.match ? (
                    row.match.state === 'matched' ? (
                      <>
                        Matched{' '}
                        <Button
                          type="button"
                          className="secondary"
                          aria-label={`Sync ${name} now`}
                          disabled={busy}
                          onClick={() => void resyncing.run({ remoteId: row.company.remoteId, name })}
                        >
                          Sync
                        </Button>
                      </>
                    ) : (
                      'Left unmatched'
                    )
                  ) : suggestion ? (
                    reaches(suggestion) ? (
                      'Suggested'
                    ) : (
                      'Suggested, below threshold'
                    )
                  ) : (
                    'New'
                  )}
                  {kept.data?.[row.company.remoteId]?.map((other) => (
                    <span key={`${other.by}-${other.at}`} className="muted" data-testid="match-kept">
                      {' '}
                      {other.by} decided otherwise at the same time ({new Date(other.at).toLocaleString()}); the later decision is shown.
                    </span>
                  ))}
                </td>
                <td data-testid="suggestion" data-reason={suggestion?.reason}>
                  {suggestion ? (
                    <>
                      <strong>{spaceName.get(suggestion.clientSpaceId)}</strong>
                      {' · '}
                      <span data-testid="suggestion-confidence">confidence {suggestion.confidence}</span>
                      {' · '}
                      <span className="muted" data-testid="suggestion-reason" title={REASON_LABEL[suggestion.reason]}>
                        {suggestion.detail}
                      </span>
                    </>
                  ) : row.match ? (
                    row.match.state === 'matched' && row.match.clientSpaceId && spaceName.has(row.match.clientSpaceId) ? (
                      <a
                        href={`/space.html#/space/${encodeURIComponent(row.match.clientSpaceId)}`}
                        target="_blank"
                        rel="noopener"
                        data-testid="match-space-link"
                      >
                        {spaceName.get(row.match.clientSpaceId)}
                      </a>
                    ) : (
                      <span className="muted">{row.match.state === 'matched' ? 'a removed client space' : '—'}</span>
                    )
                  ) : (
                    <span className="muted">No match found</span>
                  )}
                </td>
                <td>
                  <ClientSpaceSelect
                    label={`Client space for ${name}`}
                    value={value}
                    relevant={[row.proposed, ...(suggestion ? [spaceChoice(suggestion.clientSpaceId)] : [])]}
                    spaces={clientSpaces}
                    spaceById={spaceById}
                    disabled={busy}
                    onChange={(next) => setChoices({ ...choices, [row.company.remoteId]: next })}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});

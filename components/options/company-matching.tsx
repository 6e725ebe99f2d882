import { useMemo, useState } from 'react';
import { getDb } from '@/lib/db/schema';
import { matchingData } from '@/lib/db/queries';
import { suggestMatch, type SuggestionReason } from '@/lib/match/company-match';
import { request } from '@/lib/messaging/client';
import type { MatchDecision } from '@/lib/messaging/protocol';
import { useLive } from '@/components/ui/use-live';

/** Choice value in a row's select: "create", "unmatched" or "space:<id>". */
type Choice = string;

const REASON_LABEL: Record<SuggestionReason, string> = { 'psa-id': 'same PSA id', 'exact-name': 'exact name' };

function toDecision(companyRemoteId: string, choice: Choice): MatchDecision {
  if (choice === 'create') return { companyRemoteId, action: 'create' };
  if (choice === 'unmatched') return { companyRemoteId, action: 'unmatched' };
  return { companyRemoteId, action: 'match', clientSpaceId: choice.slice('space:'.length) };
}

/**
 * Hudu's matching step: every PSA company with a suggested client space pre-selected; the
 * user can bulk create/match all pending companies, or choose per company.
 */
export function CompanyMatching({ integrationId }: { integrationId: string }) {
  const db = getDb();
  const data = useLive(['matching', integrationId], () => matchingData(db, integrationId));
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);

  const rows = useMemo(() => {
    if (!data.data) return [];
    const { companies, matches, clientSpaces, integrations } = data.data;
    const matchOf = new Map(matches.filter((match) => match.integrationId === integrationId).map((match) => [match.companyRemoteId, match]));
    return companies.map((company) => {
      const match = matchOf.get(company.remoteId);
      const suggestion = match ? undefined : suggestMatch({ ...company, integrationId }, { integrations, matches, clientSpaces });
      const current: Choice | undefined = match
        ? match.state === 'matched' && match.clientSpaceId
          ? `space:${match.clientSpaceId}`
          : 'unmatched'
        : undefined;
      const proposed: Choice = current ?? (suggestion ? `space:${suggestion.clientSpaceId}` : 'create');
      return { company, match, suggestion, current, proposed };
    });
  }, [data.data, integrationId]);

  if (data.isPending) return <p className="muted">Loading companies…</p>;
  if (!rows.length) return <p className="muted">No companies yet: start a sync first, then match them here.</p>;

  const pending = rows.filter((row) => !row.match);
  const apply = async (decisions: MatchDecision[]) => {
    if (!decisions.length) return;
    setBusy(true);
    setMessage(undefined);
    try {
      const result = await request('match.apply', { integrationId, decisions });
      setChoices({});
      setMessage({
        kind: 'ok',
        text: `${result.matched} matched, ${result.created} created, ${result.unmatched} left unmatched. Resync to import their data.`,
      });
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };
  const changed = rows.filter((row) => choices[row.company.remoteId] !== undefined && choices[row.company.remoteId] !== row.current);
  const clientSpaces = data.data?.clientSpaces ?? [];

  return (
    <div className="matching" data-testid="matching">
      <div className="actions">
        <button type="button" disabled={busy || !pending.length} onClick={() => void apply(pending.map((row) => toDecision(row.company.remoteId, choices[row.company.remoteId] ?? row.proposed)))}>
          Bulk create/match all ({pending.length} pending)
        </button>
        <button type="button" className="secondary" disabled={busy || !changed.length} onClick={() => void apply(changed.map((row) => toDecision(row.company.remoteId, choices[row.company.remoteId]!)))}>
          Save {changed.length} change{changed.length === 1 ? '' : 's'}
        </button>
      </div>
      {message ? (
        <p className={message.kind} role="status" data-testid="matching-result">
          {message.text}
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">PSA company</th>
            <th scope="col">Status</th>
            <th scope="col">Client space</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const name = (row.company.data as { name: string }).name;
            const value = choices[row.company.remoteId] ?? row.proposed;
            return (
              <tr key={row.company.remoteId} data-testid="match-row" data-company={name}>
                <td>
                  {name}
                  <span className="muted"> #{row.company.remoteId}</span>
                </td>
                <td>
                  {row.match
                    ? row.match.state === 'matched'
                      ? 'Matched'
                      : 'Left unmatched'
                    : row.suggestion
                      ? `Suggested (${REASON_LABEL[row.suggestion.reason]})`
                      : 'New'}
                </td>
                <td>
                  <select
                    aria-label={`Client space for ${name}`}
                    value={value}
                    disabled={busy}
                    onChange={(event) => setChoices({ ...choices, [row.company.remoteId]: event.target.value })}
                  >
                    <option value="create">Create new client space</option>
                    {clientSpaces.map((space) => (
                      <option key={space.id} value={`space:${space.id}`}>
                        Match to {space.name}
                      </option>
                    ))}
                    <option value="unmatched">Leave unmatched (data not imported)</option>
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

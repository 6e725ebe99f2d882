import { getDb } from '@/lib/db/schema';
import { allSpaces } from '@/lib/documents/read';
import { queryKeys } from '@/components/ui/query-keys';
import { useLive } from '@/components/ui/use-live';

/** Each client space's page (notes, articles, history): one tab per client, at a link that stays. */
export function ClientSpacesPanel() {
  const spaces = useLive(queryKeys.spaces(), () => allSpaces(getDb()));
  if (spaces.isPending) return <p className="muted">Loading…</p>;
  if (!spaces.data?.length) return <p className="muted">No client space yet: match your PSA’s companies above to create them.</p>;
  return (
    <div className="card" data-testid="client-spaces">
      <p className="muted">Open a client to write its pinned notes and articles. They show in the overlay on that client’s PSA pages.</p>
      <ul className="space-links">
        {spaces.data.map((space) => (
          <li key={space.id}>
            <a href={`/space.html#/space/${encodeURIComponent(space.id)}`} target="_blank" rel="noopener">
              {space.name}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

import { useState, type FormEvent } from 'react';
import type { ClientSpaceRow } from '@/lib/db/schema';
import { getDb } from '@/lib/db/schema';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useRequestAction } from '@/components/ui/use-action';
import { useLive } from '@/components/ui/use-live';
import { NarrowField, useNarrowed } from '@/components/ui/narrowed-list';
import { Button } from '@/components/ui/button';

const spaceUrl = (spaceId: string) => `/space.html#/space/${encodeURIComponent(spaceId)}`;

/**
 * Every client space: open its page (notes, articles, history), create one by hand, rename,
 * archive or restore, and merge one into another (its matches and documentation follow).
 */
export function ClientSpacesPanel() {
  const spaces = useLive(queryKeys.spaces(), () => getDb().clientSpaces.orderBy('name').toArray());
  const [name, setName] = useState('');
  const [merged, setMerged] = useState<string>();
  const creating = useRequestAction('spaces.create', { success: ({ name }) => `Client space “${name}” created.`, onSuccess: () => setName('') });
  const live = (spaces.data ?? []).filter((space) => space.mergedInto === undefined);
  const active = live.filter((space) => space.archivedAt === undefined);
  const archived = live.filter((space) => space.archivedAt !== undefined);
  const narrowed = useNarrowed(active, (space) => space.name);
  if (spaces.isPending) return <p className="muted">Loading…</p>;
  const create = (event: FormEvent) => {
    event.preventDefault();
    void creating.run({ name });
  };
  return (
    <div className="card" data-testid="client-spaces">
      <p className="muted">
        Open a client to write its pinned notes and articles: they show in the overlay on that client’s PSA pages. Spaces created from a PSA company take its
        name when it changes there, until you rename them.
      </p>
      {active.length === 0 ? <p className="muted">No client space yet: match your PSA’s companies above, or create one here.</p> : null}
      <NarrowField narrowed={narrowed} label="Find a client space" noun="client spaces" />
      <ul className="space-links">
        {narrowed.shown.map((space) => (
          <SpaceRow key={space.id} space={space} mergeable={active} onMerged={setMerged} />
        ))}
      </ul>
      {/* A merged space leaves the list, so its outcome is said here. */}
      <StatusMessage status={merged ? { kind: 'ok', text: merged } : undefined} testId="space-merge-result" />
      <form onSubmit={create} aria-label="Create a client space">
        <label className="field">
          <span>New client space</span>
          <input
            name="name"
            value={name}
            placeholder="e.g. Fabrikam Legal"
            aria-invalid={creating.fieldErrors.name ? true : undefined}
            onChange={(event) => setName(event.target.value)}
          />
          {creating.fieldErrors.name ? <small className="error">{creating.fieldErrors.name}</small> : null}
        </label>
        <div className="actions">
          <Button type="submit" disabled={creating.isPending}>
            Create client space
          </Button>
        </div>
        <StatusMessage status={creating.status} testId="space-create-result" />
      </form>
      {archived.length ? (
        <details>
          <summary>Archived ({archived.length})</summary>
          <ul className="space-links">
            {archived.map((space) => (
              <SpaceRow key={space.id} space={space} mergeable={[]} onMerged={setMerged} />
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/** `mergeable`: the spaces it may be merged into (itself among them), listed only once the merge form opens. */
function SpaceRow({ space, mergeable, onMerged }: { space: ClientSpaceRow; mergeable: ClientSpaceRow[]; onMerged: (text: string) => void }) {
  const [mode, setMode] = useState<'rename' | 'merge'>();
  const [draft, setDraft] = useState(space.name);
  const [into, setInto] = useState('');
  const renaming = useRequestAction('spaces.rename', { success: ({ name }) => `Renamed to “${name}”.`, onSuccess: () => setMode(undefined) });
  const archiving = useRequestAction('spaces.archive', { success: ({ archived }) => (archived ? 'Archived.' : 'Restored.') });
  const others = mode === 'merge' ? mergeable.filter((other) => other.id !== space.id) : [];
  const target = others.find((other) => other.id === into);
  const merging = useRequestAction('spaces.merge', {
    onSuccess: ({ matches, documents }) =>
      onMerged(
        `“${space.name}” merged into “${target?.name ?? 'the other client space'}”: ${matches} PSA ${matches === 1 ? 'company' : 'companies'} and ${documents} ${documents === 1 ? 'document' : 'documents'} moved.`,
      ),
  });
  const status = renaming.status ?? archiving.status ?? merging.status;
  return (
    <li data-testid="space-row" data-space-id={space.id}>
      <a href={spaceUrl(space.id)} target="_blank" rel="noopener">
        {space.name}
      </a>{' '}
      {space.nameFollows ? <span className="muted">(follows the PSA’s name)</span> : null}
      <span className="actions inline">
        {space.archivedAt === undefined ? (
          <>
            <button type="button" className="secondary" onClick={() => setMode(mode === 'rename' ? undefined : 'rename')} aria-expanded={mode === 'rename'}>
              Rename
            </button>
            {mergeable.some((other) => other.id !== space.id) ? (
              <button type="button" className="secondary" onClick={() => setMode(mode === 'merge' ? undefined : 'merge')} aria-expanded={mode === 'merge'}>
                Merge…
              </button>
            ) : null}
          </>
        ) : null}
        <Button
          type="button"
          className="secondary"
          disabled={archiving.isPending}
          onClick={() => void archiving.run({ spaceId: space.id, archived: space.archivedAt === undefined })}
        >
          {space.archivedAt === undefined ? 'Archive' : 'Restore'}
        </Button>
      </span>
      {mode === 'rename' ? (
        <form
          aria-label={`Rename ${space.name}`}
          onSubmit={(event) => {
            event.preventDefault();
            void renaming.run({ spaceId: space.id, name: draft });
          }}
        >
          <label className="field">
            <span>Name</span>
            <input value={draft} aria-invalid={renaming.fieldErrors.name ? true : undefined} onChange={(event) => setDraft(event.target.value)} />
            {renaming.fieldErrors.name ? <small className="error">{renaming.fieldErrors.name}</small> : null}
          </label>
          <div className="actions">
            <Button type="submit" disabled={renaming.isPending}>
              Save name
            </Button>
          </div>
        </form>
      ) : null}
      {mode === 'merge' ? (
        <form
          aria-label={`Merge ${space.name}`}
          onSubmit={(event) => {
            event.preventDefault();
            if (into) void merging.run({ fromId: space.id, intoId: into });
          }}
        >
          <label className="field">
            <span>Merge “{space.name}” into</span>
            <select value={into} onChange={(event) => setInto(event.target.value)}>
              <option value="">Choose a client space…</option>
              {others.map((other) => (
                <option key={other.id} value={other.id}>
                  {other.name}
                </option>
              ))}
            </select>
          </label>
          <p className="muted">Its PSA companies, notes and articles move there; links to it lead there. This cannot be undone.</p>
          <div className="actions">
            <Button type="submit" className="danger" disabled={!into || merging.isPending}>
              Merge
            </Button>
          </div>
        </form>
      ) : null}
      <StatusMessage status={status} testId="space-row-result" />
    </li>
  );
}

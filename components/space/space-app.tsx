import { useEffect } from 'react';
import { getDb } from '@/lib/db/schema';
import { allSpaces, spaceDocuments, spaceSummary } from '@/lib/documents/read';
import { queryKeys } from '@/components/ui/query-keys';
import { useLive } from '@/components/ui/use-live';
import { ArticlesPanel } from './articles-panel';
import { BinPanel } from './bin-panel';
import { CredentialsPanel } from './credentials-panel';
import { NotesPanel } from './notes-panel';
import { spaceHref, useSpaceRoute } from './route';

/** The client-space page: one client's whole documentation, in its own tab, at a stable link. */
export function SpaceApp() {
  const route = useSpaceRoute();
  return route.view === 'space' ? <SpacePage spaceId={route.spaceId} articleId={route.articleId} /> : <SpaceIndex />;
}

function SpaceIndex() {
  const spaces = useLive(queryKeys.spaces(), () => allSpaces(getDb()));
  useEffect(() => {
    document.title = 'Sidecar: client spaces';
  }, []);
  return (
    <main>
      <h1>Client spaces</h1>
      {spaces.isPending ? <p className="muted">Loading…</p> : null}
      {spaces.data?.length === 0 ? <p className="muted">No client space yet: match your PSA companies in Sidecar’s options.</p> : null}
      <ul className="space-index" data-testid="space-index">
        {spaces.data?.map((space) => (
          <li key={space.id}>
            <a href={spaceHref(space.id)}>{space.name}</a>
          </li>
        ))}
      </ul>
    </main>
  );
}

function SpacePage({ spaceId, articleId }: { spaceId: string; articleId?: string | undefined }) {
  const summary = useLive(queryKeys.space(spaceId), () => spaceSummary(getDb(), spaceId));
  const documents = useLive(queryKeys.spaceDocuments(spaceId), () => spaceDocuments(getDb(), spaceId));
  const name = summary.data?.name;
  useEffect(() => {
    if (name) document.title = `${name}: Sidecar`;
  }, [name]);
  if (summary.isPending || documents.isPending) return <p className="muted">Loading…</p>;
  if (!summary.data) {
    return (
      <main>
        <h1>Client space not found</h1>
        <p>
          It may have been removed. <a href="#/">All client spaces</a>
        </p>
      </main>
    );
  }
  const docs = documents.data!;
  return (
    <main data-testid="space-page" data-space-id={spaceId}>
      <p className="muted">
        <a href="#/">All client spaces</a>
      </p>
      <h1 data-testid="space-name">{summary.data.name}</h1>
      <p className="muted" data-testid="space-sources">
        {summary.data.sources.length
          ? `From ${summary.data.sources.map((source) => `${source.companyName} in ${source.integration}`).join('; ')}.`
          : 'No PSA company is matched to this client space.'}
      </p>
      <NotesPanel spaceId={spaceId} notes={docs.notes} />
      <CredentialsPanel spaceId={spaceId} credentials={docs.credentials} />
      <ArticlesPanel spaceId={spaceId} articles={docs.articles} globalArticles={docs.globalArticles} openId={articleId} />
      <BinPanel binned={docs.binned} />
    </main>
  );
}

import { useEffect } from 'react';
import { getDb } from '@/lib/db/schema';
import { allSpaces, spaceDocuments, spaceOfCompany, spaceSummary } from '@/lib/documents/read';
import { queryKeys } from '@/components/ui/query-keys';
import { useLive } from '@/components/ui/use-live';
import { ArticlesPanel } from './articles-panel';
import { BinPanel } from './bin-panel';
import { CredentialsPanel } from './credentials-panel';
import { NotesPanel } from './notes-panel';
import { RecordsPanel } from './records-panel';
import { spaceRecords } from '@/lib/documents/space-records';
import { spaceHref, useSpaceRoute } from './route';

/** The client-space page: one client's whole documentation, in its own tab, at a stable link. */
export function SpaceApp() {
  const route = useSpaceRoute();
  if (route.view === 'space') return <SpacePage spaceId={route.spaceId} articleId={route.articleId} />;
  if (route.view === 'company') return <CompanyLink psa={route.psa} remoteId={route.remoteId} integrationId={route.integrationId} />;
  return <SpaceIndex />;
}

/** A PSA company's stable link: replaced by its client space's once resolved. */
function CompanyLink({ psa, remoteId, integrationId }: { psa: string; remoteId: string; integrationId?: string | undefined }) {
  const space = useLive(queryKeys.companySpace(psa, remoteId, integrationId ?? ''), () => spaceOfCompany(getDb(), psa, remoteId, integrationId));
  useEffect(() => {
    if (space.data) location.replace(spaceHref(space.data));
  }, [space.data]);
  if (space.isPending || space.data) return <p className="muted">Opening…</p>;
  return (
    <main>
      <h1>Not matched</h1>
      <p>
        This {psa} company ({remoteId}) is not matched to a client space here: match it in Sidecar’s options. <a href="#/">All client spaces</a>
      </p>
    </main>
  );
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
  const records = useLive(queryKeys.spaceRecords(spaceId), () => spaceRecords(getDb(), spaceId));
  const name = summary.data?.name;
  const mergedInto = summary.data?.mergedInto;
  useEffect(() => {
    if (name) document.title = `${name}: Sidecar`;
  }, [name]);
  // A merged-away space's links lead to the space it became part of.
  useEffect(() => {
    if (mergedInto) location.replace(spaceHref(mergedInto, articleId));
  }, [mergedInto, articleId]);
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
      {summary.data.archived ? <p className="muted">Archived: restore it in Sidecar’s options to see it in lists and matching again.</p> : null}
      <p className="muted" data-testid="space-sources">
        {summary.data.sources.length
          ? `From ${summary.data.sources.map((source) => `${source.companyName} in ${source.integration}`).join('; ')}.`
          : 'No PSA company is matched to this client space.'}
      </p>
      <NotesPanel spaceId={spaceId} notes={docs.notes} />
      <CredentialsPanel spaceId={spaceId} credentials={docs.credentials} />
      <ArticlesPanel spaceId={spaceId} articles={docs.articles} globalArticles={docs.globalArticles} openId={articleId} />
      {records.data ? <RecordsPanel groups={records.data} /> : <p className="muted">Loading records…</p>}
      <BinPanel binned={docs.binned} />
    </main>
  );
}

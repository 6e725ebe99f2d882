import { useState, type FormEvent } from 'react';
import type { ArticleView } from '@/lib/documents/read';
import { Markdown } from '@/components/docs/markdown';
import { ConflictLine } from '@/components/ui/conflict-line';
import { StatusMessage } from '@/components/ui/status-message';
import { useRequestAction } from '@/components/ui/use-action';
import { HistoryPanel } from './history-panel';
import { spaceHref } from './route';
import { Stamp } from './stamp';
import { Button } from '@/components/ui/button';

/** This client's articles and the MSP's own procedures: titles here, one open at a time. */
export function ArticlesPanel({
  spaceId,
  articles,
  globalArticles,
  openId,
}: {
  spaceId: string;
  articles: ArticleView[];
  globalArticles: ArticleView[];
  openId?: string | undefined;
}) {
  const [creating, setCreating] = useState(false);
  const open = [...articles, ...globalArticles].find((article) => article.id === openId);
  const list = (items: ArticleView[]) => (
    <ul className="doc-list">
      {items.map((article) => (
        <li key={article.id} className="doc-item" data-testid="article-link">
          <a href={spaceHref(spaceId, article.id)} aria-current={article.id === openId ? 'page' : undefined}>
            {article.title}
          </a>
          <Stamp by={article.by} at={article.at} />
        </li>
      ))}
    </ul>
  );
  return (
    <section aria-labelledby="articles-heading" data-testid="space-articles">
      <h2 id="articles-heading">Articles</h2>
      {articles.length ? list(articles) : <p className="muted">No article for this client yet.</p>}
      {globalArticles.length ? (
        <>
          <h3>Your MSP’s procedures</h3>
          {list(globalArticles)}
        </>
      ) : null}
      {open ? <ArticleView key={open.id} article={open} spaceId={spaceId} /> : null}
      {openId && !open ? <p className="error">That article is not here any more (it may be in the bin).</p> : null}
      {creating ? (
        <ArticleForm spaceId={spaceId} onDone={() => setCreating(false)} />
      ) : (
        <div className="actions">
          <button type="button" onClick={() => setCreating(true)}>
            New article
          </button>
        </div>
      )}
    </section>
  );
}

function ArticleView({ article, spaceId }: { article: ArticleView; spaceId: string }) {
  const [editing, setEditing] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const binning = useRequestAction('docs.bin', { success: () => 'Moved to the bin.' });
  if (editing) return <ArticleForm spaceId={spaceId} article={article} onDone={() => setEditing(false)} />;
  return (
    <article className="card article" data-testid="article" aria-labelledby="article-title">
      <h3 id="article-title">{article.title}</h3>
      <Stamp by={article.by} at={article.at} />
      <ConflictLine kept={article.conflictKept} history={{ open: () => setShowHistory(true) }} />
      <Markdown source={article.body} />
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setEditing(true)}>
          Edit
        </button>
        <button type="button" className="secondary" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
          History
        </button>
        <Button
          type="button"
          className="secondary danger"
          disabled={binning.isPending}
          onClick={() => void binning.run({ id: article.id, baseRev: article.rev })}
        >
          Delete
        </Button>
      </div>
      <StatusMessage status={binning.status} />
      {showHistory ? (
        <HistoryPanel
          docId={article.id}
          currentRev={article.rev}
          describe={(content) => `${String(content.title ?? '')}: ${String(content.body ?? '').slice(0, 300)}`}
        />
      ) : null}
    </article>
  );
}

function ArticleForm({ spaceId, article, onDone }: { spaceId: string; article?: ArticleView; onDone: () => void }) {
  const [title, setTitle] = useState(article?.title ?? '');
  const [body, setBody] = useState(article?.body ?? '');
  const [everyClient, setEveryClient] = useState(article ? article.spaceId === null : false);
  const [baseRev] = useState(article?.rev);
  const saving = useRequestAction('docs.article.save', {
    success: () => 'Article saved.',
    onSuccess: ({ id }) => {
      onDone();
      location.hash = spaceHref(spaceId, id);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void saving.run({ ...(article ? { id: article.id, baseRev } : {}), spaceId: everyClient ? null : spaceId, title, body });
  };
  const error = saving.fieldErrors;
  return (
    <form className="card" onSubmit={submit} aria-label={article ? 'Edit article' : 'New article'} data-testid="article-form">
      <label className="field">
        <span>Title</span>
        <input name="title" value={title} maxLength={400} aria-invalid={error.title ? true : undefined} onChange={(event) => setTitle(event.target.value)} />
        {error.title ? <small className="error">{error.title}</small> : null}
      </label>
      <label className="field wide">
        <span>Text (Markdown: # headings, - lists, - [ ] checklists, | tables |, ``` code)</span>
        <textarea name="body" rows={14} value={body} aria-invalid={error.body ? true : undefined} onChange={(event) => setBody(event.target.value)} />
        {error.body ? <small className="error">{error.body}</small> : null}
      </label>
      <label className="check">
        <input type="checkbox" checked={everyClient} onChange={(event) => setEveryClient(event.target.checked)} /> For every client (one of your MSP’s own
        procedures)
      </label>
      <div className="actions">
        <Button type="submit" disabled={saving.isPending}>
          Save article
        </Button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      <StatusMessage status={saving.status} testId="article-result" />
    </form>
  );
}

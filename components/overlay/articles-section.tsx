import type { OverlayView } from '@/lib/overlay-view/view-model';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import { onTrusted } from '@/lib/content/gesture';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';

type Articles = Extract<OverlayView, { state: 'ready' }>['articles'];

/** The client's articles by title; each opens in the client-space page (an extension tab). */
export function ArticlesSection({ articles, companyRemoteId, link }: { articles: Articles; companyRemoteId: string; link: HostLink }) {
  const open = useAction((articleId: string) => link.request('overlay.openSpace', { companyRemoteId, articleId }));
  if (!articles.length) return null;
  return (
    <section className="sc-section" data-testid="sidecar-articles" aria-label="Articles">
      <h3>
        Articles <span className="sc-count">({articles.length})</span>
      </h3>
      <ul>
        {articles.map((article) => (
          <li key={article.id} data-testid="sidecar-article">
            <button type="button" className="sc-link" onClick={onTrusted(() => void open.run(article.id))}>
              {article.title}
            </button>
            {article.global ? <span className="sc-badge">all clients</span> : null}
          </li>
        ))}
      </ul>
      <StatusMessage status={open.status} role="alert" className="sc-error" />
    </section>
  );
}

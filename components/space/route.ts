import { useEffect, useState } from 'react';

/**
 * Where the client-space page is, from its hash: stable links that survive a reload and can be
 * bookmarked (`#/space/<id>`, `#/space/<id>/article/<articleId>`); nothing else reads the URL.
 */
export type SpaceRoute =
  | { view: 'index' }
  | { view: 'space'; spaceId: string; articleId?: string }
  /** A PSA company's own link: leads to the client space it is matched to. */
  | { view: 'company'; psa: string; remoteId: string; integrationId?: string };

export function parseSpaceRoute(hash: string): SpaceRoute {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  let parts: string[];
  try {
    parts = path.split('/').map(decodeURIComponent);
  } catch {
    return { view: 'index' }; // a malformed escape: not a link Sidecar made
  }
  if (parts[0] === 'space' && parts[1]) return { view: 'space', spaceId: parts[1], ...(parts[2] === 'article' && parts[3] ? { articleId: parts[3] } : {}) };
  if (parts[0] === 'psa' && parts[1] && parts[2] === 'company' && parts[3]) {
    const integrationId = new URLSearchParams(query).get('source');
    return { view: 'company', psa: parts[1], remoteId: parts[3], ...(integrationId ? { integrationId } : {}) };
  }
  return { view: 'index' };
}

export const spaceHref = (spaceId: string, articleId?: string) =>
  `#/space/${encodeURIComponent(spaceId)}${articleId ? `/article/${encodeURIComponent(articleId)}` : ''}`;

/** In-page anchors of an article (`#part`, footnotes) are not routes: the page stays where it is. */
export const isRouteHash = (hash: string) => hash === '' || hash === '#' || hash.startsWith('#/');

export function useSpaceRoute(): SpaceRoute {
  const [route, setRoute] = useState(() => parseSpaceRoute(location.hash));
  useEffect(() => {
    const onChange = () => {
      if (isRouteHash(location.hash)) setRoute(parseSpaceRoute(location.hash));
    };
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

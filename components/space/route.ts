import { useEffect, useState } from 'react';

/**
 * Where the client-space page is, from its hash: stable links that survive a reload and can be
 * bookmarked (`#/space/<id>`, `#/space/<id>/article/<articleId>`); nothing else reads the URL.
 */
export type SpaceRoute = { view: 'index' } | { view: 'space'; spaceId: string; articleId?: string };

export function parseSpaceRoute(hash: string): SpaceRoute {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'space' && parts[1]) return { view: 'space', spaceId: parts[1], ...(parts[2] === 'article' && parts[3] ? { articleId: parts[3] } : {}) };
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

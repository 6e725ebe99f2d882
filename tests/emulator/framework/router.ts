import type { EmuRequest, EmuResponse } from './types.ts';

export type RouteParams = Record<string, string>;
export type RouteHandler<C> = (req: EmuRequest, params: RouteParams, ctx: C) => EmuResponse;

interface Route<C> {
  method: string;
  re: RegExp;
  names: string[];
  handler: RouteHandler<C>;
}

/**
 * Minimal router. Patterns like `/company/companies/:id` (`:id` = digits) or `:name*` (any
 * segment). Matching is case-insensitive because IIS paths are.
 */
export class Router<C> {
  private routes: Route<C>[] = [];

  add(method: string, pattern: string, handler: RouteHandler<C>): this {
    const names: string[] = [];
    const src = pattern
      .split('/')
      .map((seg) => {
        const m = /^:(\w+)(\*?)$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1] as string);
        return m[2] ? '([^/]+)' : '(\\d+)';
      })
      .join('/');
    this.routes.push({ method: method.toUpperCase(), re: new RegExp(`^${src}/?$`, 'i'), names, handler });
    return this;
  }

  /** Returns null when no route matches; 'method' when the path exists for another method. */
  match(method: string, path: string): { handler: RouteHandler<C>; params: RouteParams } | 'method' | null {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.re.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method.toUpperCase()) continue;
      const params: RouteParams = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? '')));
      return { handler: r.handler, params };
    }
    return pathMatched ? 'method' : null;
  }
}

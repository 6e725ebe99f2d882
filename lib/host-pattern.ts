/**
 * The host-permission pattern Sidecar uses for a PSA origin: its scheme and host, any port, any
 * path. Chrome's match patterns ignore ports; Firefox accepts a pattern with a port but never
 * matches it (`permissions.contains` stays false although the host is granted, and a request asks
 * for something no URL matches). So the pattern asked for in the options page, the one checked and
 * released by the background, and the content script's matches all leave the port out.
 */
export function hostPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

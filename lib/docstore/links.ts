/**
 * The link destinations a Markdown body names: inline `[text](dest)`, images `![alt](dest)`,
 * reference definitions `[id]: dest` and autolinks `<scheme:...>`. Checked on save so that a
 * `javascript:` (or any other scheme) link never reaches a teammate; the renderer checks again
 * (components/docs/markdown.tsx, keepAllowedUrl: the same rule, a test checks they agree).
 */
const INLINE = /!?\[[^\]]*\]\(\s*<?([^\s)>]*)/g;
const REFERENCE = /^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)/gm;
const AUTOLINK = /<([a-z][a-z0-9+.-]{1,31}:[^\s<>]*)>/gi;

const ALLOWED = /^(https?:\/\/|mailto:|#)/i;

export function linkDestinations(markdown: string): string[] {
  const found: string[] = [];
  for (const pattern of [INLINE, REFERENCE, AUTOLINK]) {
    for (const match of markdown.matchAll(pattern)) found.push(match[1] ?? '');
  }
  return found;
}

/** The first destination that is not http(s), mailto or an anchor on the page; undefined when all are. */
export function refusedLink(markdown: string): string | undefined {
  return linkDestinations(markdown).find((destination) => !ALLOWED.test(destination.trim()));
}

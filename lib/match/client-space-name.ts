import { z } from 'zod';

/**
 * Client space names: trimmed, inner whitespace one space, 1 to 200 characters. A client space
 * created for a PSA company is named after it, and a PSA may send an empty or a very long name, so
 * creation fits the name to these rules; a setup file's names must already follow them, which
 * export guarantees by fitting them the same way.
 */
export const CLIENT_SPACE_NAME_MAX = 200;

const collapse = (name: string) => name.trim().replace(/\s+/g, ' ');

export const clientSpaceNameSchema = z
  .string()
  .max(10_000)
  .transform(collapse)
  .pipe(z.string().min(1, 'A client space needs a name.').max(CLIENT_SPACE_NAME_MAX, `Client space names are at most ${CLIENT_SPACE_NAME_MAX} characters.`));

/** `name` within the rules above; `fallback` when it is blank. */
export function fitClientSpaceName(name: string, fallback: string): string {
  const collapsed = collapse(name) || collapse(fallback);
  if (collapsed.length <= CLIENT_SPACE_NAME_MAX) return collapsed;
  // Cut on a character boundary (never half of a surrogate pair), and say it was cut.
  return `${collapsed.slice(0, CLIENT_SPACE_NAME_MAX - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
}

import { z } from 'zod';

/**
 * Halo's refusal bodies (docs/psa/halo.md#errors): plain text, `{Message}` (also with `ClassName`),
 * `{errorMessage}`, `{error}`, or Newtonsoft's binding errors keyed by the item's path
 * (`{"[0].client_id": ["…"]}`). Shared by every writer, so each shows Halo's own words.
 */
export const haloRefusalSchema = z.union([
  z.string().transform((text) => ({ text, path: undefined as string | undefined })),
  z.object({ Message: z.string() }).transform((body) => ({ text: body.Message, path: undefined })),
  z.object({ errorMessage: z.string() }).transform((body) => ({ text: body.errorMessage, path: undefined })),
  z.object({ error: z.string() }).transform((body) => ({ text: body.error, path: undefined })),
  z
    .record(z.string(), z.union([z.string(), z.array(z.string())]))
    .transform((body) => Object.entries(body).map(([path, value]) => ({ path, text: [value].flat().join(' ') }))[0] ?? { text: '', path: undefined }),
]);

/** Halo's words in a refusal body, and the item path it names (binding errors); empty text when it said nothing readable. */
export function haloRefusal(data: unknown): { text: string; path?: string } {
  const parsed = haloRefusalSchema.safeParse(data);
  if (!parsed.success) return { text: '' };
  return { text: parsed.data.text.trim(), ...(parsed.data.path ? { path: parsed.data.path } : {}) };
}

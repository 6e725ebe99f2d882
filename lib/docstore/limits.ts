/** How much a technician's document may hold: enough for real notes, small enough to replicate and render. */
export const DOC_LIMITS = {
  nameChars: 200,
  noteChars: 4_000,
  noteLines: 100,
  articleBytes: 1_000_000,
  fieldTextChars: 2_000,
  fieldMultilineChars: 20_000,
} as const;

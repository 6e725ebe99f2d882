import { listsInWords, type EntityKind } from '../psa/types';

/**
 * What the overlay says while a running sync has not imported some of the company's lists:
 * those being read now, ahead of the rest of the sync, and those that wait for it (a list the PSA
 * cannot narrow to one company, or the run's limit of companies read first reached).
 */
export function importingNote(fetching: EntityKind[], waiting: EntityKind[]): { message: string; fetching: boolean } | undefined {
  const parts = [
    fetching.length ? `Sidecar is reading this company’s ${listsInWords(fetching)} now, ahead of the rest of the sync: they appear here in a moment.` : '',
    waiting.length ? `Its ${listsInWords(waiting)} are not imported yet: they arrive as the sync reaches them.` : '',
  ].filter(Boolean);
  if (!parts.length) return undefined;
  // Alone, the second sentence needs the company named.
  return { message: fetching.length ? parts.join(' ') : parts[0]!.replace(/^Its /, 'This company’s '), fetching: fetching.length > 0 };
}

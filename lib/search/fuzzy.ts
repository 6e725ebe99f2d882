/**
 * Optimal-string-alignment distance (Damerau-Levenshtein without repeated edits), giving up
 * once it exceeds `max`: typo tolerance for search words.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/** Edits allowed for a query word of this length: none for very short words. */
export const allowedEdits = (length: number): number => (length < 4 ? 0 : length < 8 ? 1 : 2);

/** How a query word matches an indexed word: 3 exact, 2 prefix, 1 typo, 0 not at all. */
export function wordScore(query: string, word: string): number {
  if (word === query) return 3;
  if (word.startsWith(query)) return 2;
  const edits = allowedEdits(query.length);
  if (!edits) return 0;
  if (editDistance(query, word, edits) <= edits) return 1;
  // A typo in the part typed so far ("firewll" for "firewall01"): compare with the word's start.
  for (const length of [query.length - 1, query.length, query.length + 1]) {
    if (length < word.length && editDistance(query, word.slice(0, length), edits) <= edits) return 1;
  }
  return 0;
}

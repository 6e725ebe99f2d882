/**
 * Optimal-string-alignment distance (Damerau-Levenshtein without repeated edits), giving up
 * once it exceeds `max`: typo tolerance for search words.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  // Three rows, reused between calls (the palette calls this for thousands of words per query).
  const width = b.length + 1;
  if (rows.length < width * 3) rows = new Int32Array(width * 6);
  let before = 0;
  let previous = width;
  let current = width * 2;
  for (let j = 0; j < width; j += 1) rows[previous + j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    rows[current] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[previous + j]! + 1, rows[current + j - 1]! + 1, rows[previous + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[before + j - 2]! + 1);
      rows[current + j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return rows[previous + b.length]!;
}

let rows = new Int32Array(3 * 66);

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

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

/** A query word matching an indexed word exactly (3) or as its start (2), else 0: the whole of `wordScore` for words too short for typos. */
export const exactOrPrefixScore = (query: string, word: string): number => (word === query ? 3 : word.startsWith(query) ? 2 : 0);

/** How a query word matches an indexed word: 3 exact, 2 prefix, 1 typo, 0 not at all. */
export function wordScore(query: string, word: string): number {
  const score = exactOrPrefixScore(query, word);
  if (score) return score;
  const edits = allowedEdits(query.length);
  if (!edits) return 0;
  return typo(query, word, edits) ? 1 : 0;
}

/**
 * Whether `word`, or its start (a typo in the part typed so far: "firewll" for "firewall01"),
 * is within `edits` of `query`: the whole word, or its first n-1, n or n+1 letters (n: the query's
 * length). One alignment of the query against the word's first n+2 letters answers all of them:
 * its last row holds the distance to every start of the word.
 */
function typo(query: string, word: string, edits: number): boolean {
  const n = query.length;
  const columns = Math.min(word.length, n + edits);
  const width = columns + 1;
  if (rows.length < width * 3) rows = new Int32Array(width * 6);
  let before = 0;
  let previous = width;
  let current = width * 2;
  for (let j = 0; j < width; j += 1) rows[previous + j] = j;
  for (let i = 1; i <= n; i += 1) {
    rows[current] = i;
    let rowMin = i;
    for (let j = 1; j <= columns; j += 1) {
      const cost = query[i - 1] === word[j - 1] ? 0 : 1;
      let value = Math.min(rows[previous + j]! + 1, rows[current + j - 1]! + 1, rows[previous + j - 1]! + cost);
      if (i > 1 && j > 1 && query[i - 1] === word[j - 2] && query[i - 2] === word[j - 1]) value = Math.min(value, rows[before + j - 2]! + 1);
      rows[current + j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > edits) return false;
    [before, previous, current] = [previous, current, before];
  }
  // The whole word (when short enough to be within reach), then its starts.
  if (word.length <= n + edits && rows[previous + word.length]! <= edits) return true;
  for (const length of [n - 1, n, n + 1]) if (length < word.length && length <= columns && rows[previous + length]! <= edits) return true;
  return false;
}

#!/usr/bin/env node
// Applies docs/.citation-map.json (issue #13): each entry replaces one exact `old` substring in
// `file` with `new`. Matching is by file + old string; when `old` occurs more than once in the
// file, the occurrence on the line nearest the recorded `line` is replaced. Nothing is written
// unless every entry matches (pass --partial to write the matches anyway); --dry-run writes nothing.
// Run from the repository root: node docs/.apply-citations.mjs [--dry-run] [--partial] [map.json]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const partial = args.includes('--partial');
const mapPath = args.find((a) => !a.startsWith('--')) ?? 'docs/.citation-map.json';
const entries = JSON.parse(readFileSync(mapPath, 'utf8'));

const texts = new Map(); // file -> current text
const failed = [];
let applied = 0;

for (const [i, e] of entries.entries()) {
  const where = `#${i} ${e.file}:${e.line} ${JSON.stringify(e.old)}`;
  if (!existsSync(e.file)) { failed.push(`${where}: file not found`); continue; }
  if (!texts.has(e.file)) texts.set(e.file, readFileSync(e.file, 'utf8'));
  const text = texts.get(e.file);
  const hits = [];
  for (let at = text.indexOf(e.old); at !== -1; at = text.indexOf(e.old, at + 1)) {
    hits.push({ at, line: text.slice(0, at).split('\n').length });
  }
  if (hits.length === 0) { failed.push(`${where}: old text not found`); continue; }
  hits.sort((a, b) => Math.abs(a.line - e.line) - Math.abs(b.line - e.line));
  if (hits.length > 1 && Math.abs(hits[0].line - e.line) === Math.abs(hits[1].line - e.line)) {
    failed.push(`${where}: ambiguous (lines ${hits.map((h) => h.line).join(', ')})`);
    continue;
  }
  const { at, line } = hits[0];
  if (line !== e.line) console.log(`note: ${where} found on line ${line}`);
  texts.set(e.file, text.slice(0, at) + e.new + text.slice(at + e.old.length));
  applied += 1;
}

const write = !dryRun && (failed.length === 0 || partial);
if (write) for (const [file, text] of texts) writeFileSync(file, text);
console.log(`${applied} of ${entries.length} entries matched${write ? ', files written' : ', nothing written'}.`);
if (failed.length) {
  console.error(`${failed.length} entries failed:\n  ${failed.join('\n  ')}`);
  process.exit(1);
}

import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { RecordRow } from '../../lib/db/schema';
import type { CanonicalRecord, EntityKind } from '../../lib/psa/types';
import { cwAgreementSchema, cwCompanySchema, cwConfigurationSchema, cwContactSchema, cwSiteSchema } from '../../lib/psa/connectwise/schemas';
import { toAgreement, toCompany, toConfiguration, toContact, toSite } from '../../lib/psa/connectwise/normalize';
import { searchWords, tokenize } from '../../lib/search/words';
import { MemoryIndex } from '../../lib/search/memory';
import { companyKey } from '../../lib/search/rules';
import { generateDataset, type Preset } from '../emulator/connectwise/dataset';
import type { CwStore } from '../emulator/connectwise/store';
import { cwCompanyIdOf, cwCompanyIsLive } from '../emulator/connectwise/facts';
import { percentile } from './harness';
import { BENCH_SOURCE, benchDocuments, documentQueries } from './bench-documents';

/**
 * The palette's in-memory search index alone, in Node, on ConnectWise's emulator dataset
 * (SIDECAR_BENCH_PRESET, default large: 150,000 configurations) plus technicians' documentation
 * (SIDECAR_BENCH_ARTICLES, default 10,000 articles, and SIDECAR_BENCH_FIELD_VALUES, default 50,000
 * custom field values: tests/bench/bench-documents.ts): build time, heap kept, and the browser
 * bench's 200 queries (names, name parts, a swap after the dash, four-letter starts), 100 queries
 * for documents (article words, misspelt or two together, field values and their starts), plus
 * broad ones. The browser bench (browser-measures.ts) times the whole round trip on the demo set.
 * Issue #13 compared MiniSearch 7.2.0 here against this index (the README says what came of it).
 * Run: npx vitest run --config tests/bench/vitest.search.config.ts
 */

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

function records(store: CwStore): RecordRow[] {
  const rows: RecordRow[] = [];
  const push = (entity: EntityKind, record: CanonicalRecord | undefined, companyRemoteId: string | undefined) => {
    if (!record || !companyRemoteId) return;
    const name = (record as { name?: string }).name ?? record.remoteId;
    rows.push({
      integrationId: 'cw',
      entity,
      remoteId: record.remoteId,
      companyRemoteId,
      data: record,
      sortName: name.toLowerCase(),
      words: searchWords(entity, record),
      syncedAt: 1,
    });
  };
  for (const row of store.companies.rows) push('company', toCompany(cwCompanySchema.parse(row)), String(row.id));
  for (const row of store.contacts.rows) {
    const contact = toContact(cwContactSchema.parse(row));
    push('contact', contact, contact?.companyRemoteId);
  }
  for (const row of store.configurations.rows) push('configuration', toConfiguration(cwConfigurationSchema.parse(row)), String(cwCompanyIdOf(row)));
  for (const row of store.agreements.rows) {
    const agreement = toAgreement(cwAgreementSchema.parse(row));
    push('agreement', agreement, (agreement as { companyRemoteId?: string }).companyRemoteId);
  }
  for (const row of store.sites.rows) {
    const companyId = String((row.company as { id?: number } | undefined)?.id ?? '');
    push('site', toSite(cwSiteSchema.parse(row), companyId), companyId);
  }
  return rows;
}

it('search index: build, memory, query latency', { timeout: 30 * 60_000 }, () => {
  const preset = (process.env.SIDECAR_BENCH_PRESET ?? 'large') as Preset;
  const store = generateDataset({ preset, seed: 1 });
  const live = new Set(store.companies.rows.filter(cwCompanyIsLive).map((row) => String(row.id)));
  const rows = records(store);
  const names = store.configurations.rows.filter((row) => live.has(String(cwCompanyIdOf(row)))).map((row) => String(row.name));
  const queries: string[] = [];
  for (let index = 0; queries.length < 200; index += 1) {
    const name = names[(index * 7919) % names.length]!.toLowerCase();
    const variant = index % 4;
    queries.push(variant === 0 ? name : variant === 1 ? name.split('-').at(-1)! : variant === 2 ? name.replace(/-(\w)(\w)/, '-$2$1') : name.slice(0, 4));
  }
  const broad = ['s', 'se', 'server', 'srv', 'firewal', 'windows server', 'laptop 1', 'printr', 'the', 'backup restore', 'procedure'];
  const scope = { companies: new Map([...live].map((id) => [companyKey('cw', id), `space-${id}`])), spaces: new Set([...live].map((id) => `space-${id}`)) };
  const documents = benchDocuments({
    articles: Number(process.env.SIDECAR_BENCH_ARTICLES ?? 10_000),
    fieldValues: Number(process.env.SIDECAR_BENCH_FIELD_VALUES ?? 50_000),
    spaces: [...scope.spaces],
    configurations: store.configurations.rows
      .filter((row) => live.has(String(cwCompanyIdOf(row))))
      .map((row) => ({ remoteId: String(row.id), name: String(row.name) })),
  });
  const documentSearches = documentQueries(documents, 100);
  const before = heap();
  const started = performance.now();
  const index = new MemoryIndex(new Map([[BENCH_SOURCE, 'cw']]));
  for (const row of rows) index.add(row);
  for (const row of documents) index.addDocument(row);
  index.finish();
  const buildMs = performance.now() - started;
  const heapMb = (heap() - before) / 2 ** 20;
  const time = (list: string[], rounds: number) => {
    const ms: number[] = [];
    const found: string[][] = [];
    for (let round = 0; round < rounds; round += 1) {
      for (const query of list) {
        const at = performance.now();
        const hits = index.search([...new Set(tokenize(query))], 30, scope);
        ms.push(performance.now() - at);
        if (!round) found.push(hits.map((hit) => (hit.type === 'record' ? hit.item.title : hit.document.title)));
      }
    }
    return { ms, found };
  };
  // Twice: the first round also fills caches (typing repeats words); both count.
  const palette = time(queries, 2);
  const forDocuments = time(documentSearches, 2);
  const wide = time(broad, 1);
  const ms = (list: number[]) => ({
    n: list.length,
    p50: Number(percentile(list, 50).toFixed(2)),
    p95: Number(percentile(list, 95).toFixed(2)),
    max: Number(Math.max(...list).toFixed(1)),
  });
  const report = {
    preset,
    records: rows.length,
    articles: documents.filter((row) => row.kind === 'article').length,
    fieldValues: documents.filter((row) => row.kind === 'field').length,
    indexed: index.size,
    buildMs: Math.round(buildMs),
    heapMb: Number(heapMb.toFixed(1)),
    paletteMs: ms(palette.ms),
    /** Queries for documents (tests/bench/bench-documents.ts), and every query together. */
    documentQueriesMs: ms(forDocuments.ms),
    allQueriesMs: ms([...palette.ms, ...forDocuments.ms]),
    broadMs: Object.fromEntries(broad.map((query, at) => [query, Number(wide.ms[at]!.toFixed(1))])),
    emptyAnswers: palette.found.filter((titles) => !titles.length).length,
    emptyDocumentAnswers: forDocuments.found.filter((titles) => !titles.length).length,
    /** The slowest queries (second round: caches filled as typing fills them). */
    slowest: [
      ...palette.ms.slice(queries.length).map((at, index) => [queries[index]!, at] as const),
      ...forDocuments.ms.slice(documentSearches.length).map((at, index) => [documentSearches[index]!, at] as const),
    ]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([query, at]) => `${query}: ${at.toFixed(1)} ms`),
  };
  // The dataset stays alive until here, so the heap measured around the build is the index's alone.
  expect(store.configurations.rows.length).toBeGreaterThan(0);
  mkdirSync('bench-output', { recursive: true });
  writeFileSync(path.join('bench-output', `search-index-${preset}.json`), `${JSON.stringify(report, null, 2)}\n`);
  console.info(JSON.stringify(report, null, 2));
  expect(rows.length).toBeGreaterThan(0);
});

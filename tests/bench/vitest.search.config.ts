import { defineConfig } from 'vitest/config';

/** The Node search-index bench only (tests/bench/search-index.bench.ts); not part of `npm test`. */
export default defineConfig({
  test: { include: ['tests/bench/search-index.bench.ts'], environment: 'node', testTimeout: 30 * 60_000 },
});

import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// `npm run bench`: the sync benchmark (tests/bench), apart from the unit suite.
export default defineConfig({
  plugins: [WxtVitest(), { name: 'sidecar-setup', config: () => ({ test: { setupFiles: ['./tests/setup.ts'] } }) }],
  test: {
    include: ['tests/bench/**/*.test.ts'],
    setupFiles: ['fake-indexeddb/auto'],
    environment: 'node',
    testTimeout: 3 * 60 * 60_000,
    hookTimeout: 10 * 60_000,
    fileParallelism: false,
  },
});

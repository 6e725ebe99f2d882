import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [
    WxtVitest(),
    // Must come after WxtVitest so it runs after WXT's own setup (docs/architecture-notes.md#message-replies-in-unit-tests).
    { name: 'sidecar-setup', config: () => ({ test: { setupFiles: ['./tests/setup.ts'] } }) },
  ],
  test: {
    // tests/unit mirrors the code it tests (lib/<folder> -> tests/unit/<folder>): tests/README.md.
    include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
    setupFiles: ['fake-indexeddb/auto'],
    environment: 'node',
    testTimeout: 20_000,
  },
});

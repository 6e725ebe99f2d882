import { defineConfig } from '@playwright/test';

// `npm run bench`: the browser half of the benchmark (tests/bench/*.bench.spec.ts).
export default defineConfig({
  testDir: './tests/bench',
  testMatch: /\.bench\.spec\.ts$/,
  timeout: 60 * 60_000,
  expect: { timeout: 60_000 },
  workers: 1,
  outputDir: 'test-results/bench',
});

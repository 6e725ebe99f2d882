import { defineConfig } from '@playwright/test';

// `npm run screenshots` (issue #18): the README's and the store listing's screenshots, taken from
// the demo (./screenshots.spec.ts). Its own config, outside the root config's test folders, so
// `npm test` and `npx playwright test` never run it. Paths here are relative to this folder.
export default defineConfig({
  testDir: '.',
  testMatch: /screenshots\.spec\.ts$/,
  timeout: 300_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  outputDir: '../../test-results/screenshots',
  reporter: 'line',
  use: { trace: 'retain-on-failure' },
});

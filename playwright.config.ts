import { defineConfig } from '@playwright/test';

export default defineConfig({
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  outputDir: 'test-results',
  use: { trace: 'retain-on-failure' },
  projects: [
    // The full suite, in Debian's Chromium (tests/e2e/fixtures.ts).
    { name: 'chromium', testDir: './tests/e2e' },
    // The Firefox subset, in Debian's Firefox ESR over WebDriver BiDi (tests/e2e-firefox/fixtures.ts).
    { name: 'firefox', testDir: './tests/e2e-firefox' },
  ],
});

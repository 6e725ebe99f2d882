import { test as base, chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Playwright fixtures: a persistent Chromium (Debian's, since Playwright cannot download its
 * own here) with the e2e build of the extension loaded, and helpers to reach its pages.
 */
// `npm run bench` loads its own build (rate windows compressed like its emulators'): SIDECAR_EXTENSION_DIR.
export const EXTENSION_PATH = path.resolve(process.env.SIDECAR_EXTENSION_DIR ?? '.output/e2e-chrome-mv3');
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((candidate) => existsSync(candidate));

/**
 * `extensionPath`: load the extension from another folder than the e2e build (a copy a test may
 * write the next build into); `args`: more Chromium switches.
 */
export async function launchWithExtension(
  options: { headless?: boolean; extensionPath?: string; args?: string[] } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const extensionPath = options.extensionPath ?? EXTENSION_PATH;
  if (!existsSync(path.join(extensionPath, 'manifest.json'))) {
    throw new Error(`No extension build in ${extensionPath}: run SIDECAR_E2E=1 npx wxt build first.`);
  }
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'sidecar-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    headless: options.headless ?? true,
    ...(CHROMIUM ? { executablePath: CHROMIUM } : {}),
    args: [
      `--disable-extensions-except=${extensionPath}`,
      `--load-extension=${extensionPath}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function serviceWorkerOf(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
}

export const test = base.extend<{ context: BrowserContext; extensionId: string; openExtensionPage: (file: string) => Promise<Page> }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from its destructuring: none here
  context: async ({}, use) => {
    const launched = await launchWithExtension();
    await use(launched.context);
    await launched.close();
  },
  extensionId: async ({ context }, use) => {
    const worker = await serviceWorkerOf(context);
    await use(new URL(worker.url()).host);
  },
  openExtensionPage: async ({ context, extensionId }, use) => {
    await use(async (file: string) => {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${file}`);
      return page;
    });
  },
});

export { expect } from './overlay/expect.ts';
export { overlayOf } from './overlay/locator.ts';

import type { Page } from 'puppeteer-core';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { cwCompanyIdOf, cwCompanyIsLive } from '../emulator/connectwise/facts.ts';
import { overlayOf } from './driver';
import { expect, test } from './fixtures';
import { bulkMatchAll, fillConnectwiseForm, FORM, syncAndWait, waitFor, waitForText } from './flows';

/**
 * The overlay's Copy in Firefox (the MV2 build): no offscreen document there, the background page
 * writes the clipboard itself (lib/background/clipboard.ts), and clears it after 30 s (it cannot
 * read the clipboard without `clipboardRead`, so it writes an empty text). The credential is saved
 * through the same channel the client-space page uses (its form is walked in Chromium,
 * tests/e2e/credentials.spec.ts); the clipboard is read the way a person does: Ctrl+V into a
 * text box of another site's page.
 */

const SECRET = 'Ff-Qz7-Adm1n-Pa55!';
let cw: RunningEmulator;
test.beforeEach(async () => {
  cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
});
test.afterEach(async () => {
  await cw.close();
});

/** What a person's paste (trusted Ctrl+V) puts into a fresh text box of `page`. */
async function paste(page: Page): Promise<string> {
  await page.bringToFront();
  await page.evaluate(() => {
    document.body.replaceChildren(Object.assign(document.createElement('textarea'), { id: 'paste' }));
  });
  await page.click('#paste');
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyV');
  await page.keyboard.up('Control');
  await new Promise((resolve) => setTimeout(resolve, 300));
  return page.evaluate(() => (document.getElementById('paste') as HTMLTextAreaElement).value);
}

test('Firefox: the overlay’s Copy puts the secret on the clipboard from the background page, clears it after 30 s; the PSA page never has it', async ({
  firefox,
}) => {
  test.setTimeout(150_000);
  const options = await firefox.openExtensionPage('options.html');
  await fillConnectwiseForm(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
  await waitForText(options, `${FORM} [data-testid="connection-result"]`, /^Connected to /);
  await syncAndWait(options, 'Start sync');
  await bulkMatchAll(options);
  await syncAndWait(options, 'Sync now');

  const live = new Set(cw.data.companies.rows.filter(cwCompanyIsLive).map((row) => row.id));
  const ticket = cw.data.tickets.rows.find((row) => live.has(cwCompanyIdOf(row)))!;
  const companyId = String(cwCompanyIdOf(ticket));
  // The company's client space, and a credential on it, asked of the background as the client-space page asks.
  const saved = await options.evaluate(
    async ({ companyId, secret }) => {
      const ask = async (channel: string, payload: unknown) => {
        const { runtime } = (globalThis as unknown as { browser: { runtime: { sendMessage(message: unknown): Promise<unknown> } } }).browser;
        const reply = (await runtime.sendMessage({ channel, payload })) as { ok: boolean; data?: unknown; error?: { message: string } };
        if (!reply.ok) throw new Error(reply.error!.message);
        return reply.data;
      };
      const spaceId = await new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('sidecar');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('matches').objectStore('matches').getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve(
              (request.result as { companyRemoteId: string; clientSpaceId: string }[]).find((match) => match.companyRemoteId === companyId)!.clientSpaceId,
            );
          };
        };
      });
      return ask('docs.credential.save', { place: { spaceId }, name: 'Firewall admin', username: 'admin', secret });
    },
    { companyId, secret: SECRET },
  );
  expect(saved).toMatchObject({ id: expect.stringMatching(/^credential:/), changed: true });

  const reader = await firefox.newPage();
  await reader.goto(`http://localhost:${new URL(cw.baseUrl).port}/clipboard-reader`);
  const psa = await firefox.newPage();
  await psa.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${ticket.id}`);
  const overlay = overlayOf(psa);
  await expect(overlay.getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
  await expect(overlay.getByTestId('sidecar-credential')).toContainText('Firewall admin');

  await overlay.getByTestId('sidecar-credential-copy').click();
  await expect(overlay.getByTestId('sidecar-credentials')).toContainText('Copied. The clipboard is cleared in 30 s.');
  // The PSA page's own world: the secret is nowhere it can read.
  const readable = await psa.evaluate(() => [document.documentElement.outerHTML, document.documentElement.textContent ?? ''].join('\n'));
  expect(readable.includes(SECRET)).toBe(false);
  expect(await paste(reader)).toBe(SECRET);

  // 30 s after the copy, the clipboard holds nothing any more.
  await waitFor(
    'the clipboard cleared',
    () => paste(reader),
    (text) => text === '',
    45_000,
  );
});

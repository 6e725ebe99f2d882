import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { startEmulator } from '../emulator/index.ts';
import { cwCompanyIdOf, cwCompanyIsLive } from '../emulator/connectwise/facts.ts';
import { expect, overlayOf, serviceWorkerOf, test } from './fixtures';
import { connectwiseReady } from './flows';
import { forgedCopyRequests, installShadowSpy, pageWorldReadout, scriptedPresses } from './attacks';

/**
 * Issue #14, slice 9, as a technician meets it: a credential written on the client-space page,
 * listed by name on a ticket page of that client, copied from the overlay. The secret reaches the
 * clipboard through the background (Chrome: its offscreen document), which clears it after 30 s,
 * and it is nowhere in the PSA tab: not in its DOM (read over the DevTools protocol, closed shadow
 * root and frames included), not in any of its JavaScript worlds' heap (the page's, the content
 * script's), not in what the page's own scripts can read. A page script cannot make Sidecar copy.
 *
 * The heap search was seen failing once with the secret planted in the page's own world; a name
 * only the content script's code holds ('overlay.frame.register') shows its world is in the
 * snapshot, and a closed shadow root in the DOM read shows the protocol pierced Sidecar's.
 * The page-script case has no guard of its own to remove here: its events cannot enter the
 * overlay's frame (another origin), `onTrusted` is the second wall (tests/unit/content/page-driven.test.ts),
 * and the background's served-record and client checks fail without their guards in
 * tests/unit/background/page-guards.test.ts.
 */

const SECRET = 'Qz7-Fw-Adm1n-Pa55word!';
const NOTES_SECRET = 'Break-glass envelope in rack 4';

/** Everything in the page's DOM as the DevTools protocol sees it: every node, shadow roots (closed too) and same-process frames. */
async function domOverCdp(cdp: CDPSession): Promise<{ text: string; closedRoots: number }> {
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: unknown };
  const { outerHTML } = (await cdp.send('DOM.getOuterHTML', { nodeId: (root as { nodeId: number }).nodeId })) as { outerHTML: string };
  const text = JSON.stringify(root);
  return { text: `${text}\n${outerHTML}`, closedRoots: text.split('"shadowRootType":"closed"').length - 1 };
}

/** A heap snapshot of the PSA tab's renderer (every JavaScript world in it: the page's and the content script's), as text. */
async function heapOverCdp(cdp: CDPSession): Promise<string> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }) => void chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  return chunks.join('');
}

/**
 * What the clipboard holds, read by a page of another site than the PSA's (no content script there,
 * and another renderer process): Chromium cannot grant clipboard access to an extension page's
 * origin from outside, so a localhost page is granted it instead, like a person's paste.
 */
const clipboardOf = (page: Page) => page.evaluate(() => navigator.clipboard.readText());
const setClipboard = (page: Page, text: string) => page.evaluate((value) => navigator.clipboard.writeText(value), text);

async function offscreenDocuments(context: BrowserContext): Promise<number> {
  const worker = await serviceWorkerOf(context);
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { runtime: { getContexts(filter: object): Promise<unknown[]> } } };
    return (await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length;
  });
}

test.describe('credentials technicians write', () => {
  let emulator: { close(): Promise<void> } | undefined;
  test.afterEach(async () => {
    await emulator?.close();
  });

  test('ConnectWise: written on the client-space page, copied from a ticket page’s overlay; the secret never enters the PSA tab', async ({
    context,
    openExtensionPage,
    extensionId,
  }) => {
    test.setTimeout(180_000);
    const cw = (emulator = await startEmulator({ psa: 'connectwise', preset: 'tiny' }));
    const readerOrigin = `http://localhost:${new URL(cw.baseUrl).port}`;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: readerOrigin });
    const options = await openExtensionPage('options.html');
    await connectwiseReady(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
    const live = new Set(cw.data.companies.rows.filter(cwCompanyIsLive).map((row) => row.id));
    const ticket = cw.data.tickets.rows.find((row) => live.has(cwCompanyIdOf(row)))!;
    const companyId = cwCompanyIdOf(ticket);
    const companyName = String(cw.data.companies.get(companyId)!.name);

    const [space] = await Promise.all([
      context.waitForEvent('page'),
      options.getByTestId('client-spaces').getByRole('link', { name: companyName, exact: true }).click(),
    ]);
    await expect(space.getByTestId('space-name')).toHaveText(companyName);
    const panel = space.getByTestId('space-credentials');

    await test.step('write: refused at its field, then saved; revealed on request; renamed keeping the secret', async () => {
      await panel.getByRole('button', { name: 'New credential' }).click();
      const form = panel.getByTestId('credential-form');
      await form.getByLabel('Name', { exact: true }).fill('Firewall admin');
      await form.getByLabel('User name').fill('admin');
      await form.getByLabel('URL').fill('ftp://fw.example');
      await form.getByLabel('Secret', { exact: true }).fill(SECRET);
      await form.getByLabel(/One-time password seed/).fill('not base32!');
      await form.getByLabel(/^Notes/).fill(NOTES_SECRET);
      await form.getByRole('button', { name: 'Save credential' }).click();
      await expect(form.locator('small.error').getByText('Enter a web address starting with http:// or https://.')).toBeVisible();
      await form.getByLabel('URL').fill('https://fw.example');
      await form.getByRole('button', { name: 'Save credential' }).click();
      await expect(form.locator('small.error').getByText(/must be base32/)).toBeVisible();
      await form.getByLabel(/One-time password seed/).fill('JBSW Y3DP EHPK 3PXP');
      await form.getByRole('button', { name: 'Save credential' }).click();
      const item = panel.getByTestId('space-credential');
      await expect(item).toHaveCount(1);
      await expect(item).toContainText('Firewall admin · admin · https://fw.example');
      await expect(item).not.toContainText(SECRET);

      await item.getByRole('button', { name: 'Reveal' }).click();
      await expect(item.getByTestId('credential-secret')).toHaveText(SECRET);
      await expect(item.getByTestId('credential-revealed')).toContainText('JBSWY3DPEHPK3PXP');
      await expect(item.getByTestId('credential-revealed')).toContainText(NOTES_SECRET);
      await item.getByRole('button', { name: 'Hide' }).click();
      await expect(item.getByTestId('credential-revealed')).toHaveCount(0);

      await item.getByRole('button', { name: 'Edit' }).click();
      await item.getByLabel('Name', { exact: true }).fill('Firewall admin (main)');
      await item.getByRole('button', { name: 'Save credential' }).click();
      await expect(item.getByTestId('credential-name')).toHaveText('Firewall admin (main)');
      await item.getByRole('button', { name: 'Reveal' }).click();
      await expect(item.getByTestId('credential-secret')).toHaveText(SECRET);
      await item.getByRole('button', { name: 'Hide' }).click();
      await item.getByRole('button', { name: 'History' }).click();
      await expect(item.getByTestId('history-entry')).toHaveCount(1);
      await expect(item.getByTestId('history-entry')).toContainText('Firewall admin (admin) · https://fw.example');
      await expect(item.getByTestId('history')).not.toContainText(SECRET);
      await expect(item.getByTestId('history')).not.toContainText('"iv"');
    });

    const page = await context.newPage();
    await installShadowSpy(page);
    await page.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${ticket.id}`);
    const overlay = overlayOf(page);
    await expect(overlay.getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
    const listed = overlay.getByTestId('sidecar-credential');
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText('Firewall admin (main)');
    await expect(listed).toContainText('admin');
    const copyButton = overlay.getByTestId('sidecar-credential-copy');
    const reader = await context.newPage();
    await reader.goto(`${readerOrigin}/clipboard-reader`);
    await setClipboard(reader, 'what the technician had copied');

    await test.step('attack: scripted presses and forged requests from the page copy nothing', async () => {
      const box = await copyButton.boundingBox();
      const credentialId = await space.evaluate(async () => {
        const open = await new Promise<IDBDatabase>((resolve) => {
          const request = indexedDB.open('sidecar');
          request.onsuccess = () => resolve(request.result);
        });
        const rows = await new Promise<{ id: string; kind: string }[]>((resolve) => {
          const request = open.transaction('docs').objectStore('docs').getAll();
          request.onsuccess = () => resolve(request.result as { id: string; kind: string }[]);
        });
        open.close();
        return rows.find((row) => row.kind === 'credential')!.id;
      });
      await scriptedPresses(page, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, 'sidecar-credential-copy', String(companyId));
      const met = await forgedCopyRequests(page, extensionId, String(companyId), credentialId);
      expect(met).toEqual(['no chrome.runtime in the page']);
      await page.waitForTimeout(1500);
      expect(await clipboardOf(reader)).toBe('what the technician had copied');
      await expect(overlay.getByTestId('sidecar-credentials')).not.toContainText('Copied');
      expect(await offscreenDocuments(context)).toBe(0);
    });

    await test.step('copy: the technician’s click puts the secret on the clipboard through the background', async () => {
      await copyButton.click();
      await expect(overlay.getByTestId('sidecar-credentials')).toContainText('Copied. The clipboard is cleared in 30 s.');
      expect(await offscreenDocuments(context)).toBe(1);
      // Read only after the PSA tab is searched below: so nothing the test does puts it there.
    });

    await test.step('the secret is nowhere in the PSA tab: its DOM over the DevTools protocol, its JavaScript heap, what its scripts read', async () => {
      const cdp = await context.newCDPSession(page);
      const heap = await heapOverCdp(cdp);
      expect(heap.length).toBeGreaterThan(100_000);
      expect(heap.includes('overlay.frame.register')).toBe(true); // the snapshot holds the content script's world too (a name only its code has)
      expect(heap.includes(SECRET), 'the secret is in the PSA tab’s heap').toBe(false);
      expect(heap.includes(NOTES_SECRET), 'the sealed notes are in the PSA tab’s heap').toBe(false);
      const dom = await domOverCdp(cdp);
      expect(dom.closedRoots).toBeGreaterThanOrEqual(1); // Sidecar's closed shadow root was read too
      expect(dom.text.includes('overlay-frame.html')).toBe(true);
      expect(dom.text.includes(SECRET), 'the secret is in the PSA page’s DOM').toBe(false);
      await cdp.detach();
      const readout = await pageWorldReadout(page, ['Firewall admin']);
      expect(readout.text.includes(SECRET), 'the page’s scripts read the secret').toBe(false);
      expect(readout.found).toEqual([]);
      // Sidecar's own overlay frame never had it either (it shows the name only).
      const frame = page.frames().find((candidate) => candidate.url().endsWith('/overlay-frame.html'))!;
      const frameHtml = await frame.evaluate(() => document.documentElement.outerHTML);
      expect(frameHtml).toContain('Firewall admin (main)');
      expect(frameHtml.includes(SECRET), 'the secret is in the overlay’s frame').toBe(false);
    });

    await test.step('the clipboard holds the secret', async () => {
      expect(await clipboardOf(reader)).toBe(SECRET);
    });

    await test.step('cleared after 30 s, and the offscreen document closed', async () => {
      await expect.poll(() => clipboardOf(reader), { timeout: 40_000, intervals: [2000] }).toBe('');
      await expect.poll(() => offscreenDocuments(context), { timeout: 10_000 }).toBe(0);
    });

    await test.step('copy from the client-space page too (its own clipboard access, the secret opened for that extension page)', async () => {
      const item = panel.getByTestId('space-credential');
      await item.getByRole('button', { name: 'Copy' }).click();
      await expect(item.getByTestId('credential-result')).toHaveText(/^Copied\. The clipboard is cleared in 30 s/);
      expect(await clipboardOf(reader)).toBe(SECRET);
    });

    await test.step('locked: the overlay and the panel say so; reveal says how to unlock; the rest works', async () => {
      const security = options.getByTestId('security');
      const setForm = security.getByRole('form', { name: 'Set a passphrase' });
      await setForm.getByLabel(/New passphrase/).fill('correct horse battery staple');
      await setForm.getByLabel('Repeat it').fill('correct horse battery staple');
      await setForm.getByRole('button', { name: 'Set passphrase' }).click();
      await expect(security.getByTestId('vault-status')).toContainText('unlocked');
      await security.getByRole('button', { name: 'Lock now' }).click();
      await expect(security.getByTestId('vault-status')).toContainText('Locked');

      await space.reload();
      await expect(panel.getByTestId('credentials-locked')).toContainText('unlock in Sidecar’s options');
      const item = panel.getByTestId('space-credential');
      await item.getByRole('button', { name: 'Reveal' }).click();
      await expect(item.getByTestId('credential-result')).toHaveText(/^Sidecar is locked: enter your passphrase in Sidecar’s options/);
      // Notes still pin while locked.
      await space.getByTestId('space-notes').getByLabel('New note').fill('Written while locked');
      await space.getByTestId('space-notes').getByRole('button', { name: 'Pin note' }).click();
      await expect(space.getByTestId('space-note')).toContainText('Written while locked');

      // The company's page (a ticket page needs the PSA asked, which a locked vault stops: not this slice's doing).
      await page.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=CompanyFV&recid=${companyId}`);
      await expect(overlay.getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
      await expect(overlay.getByTestId('sidecar-credential')).toContainText('locked');
      await expect(copyButton).toHaveAttribute('aria-disabled', 'true');
      await expect(overlay.getByTestId('sidecar-note')).toContainText('Written while locked');
    });
  });
});

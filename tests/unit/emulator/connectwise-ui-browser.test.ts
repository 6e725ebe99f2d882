import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.ts';
import type { RunningEmulator } from '../../emulator/index.ts';
import type { CwRecord } from '../../emulator/connectwise/store.ts';

// Drives the emulated ConnectWise UI in a real browser when one is installed (system chromium
// or CHROMIUM_PATH); skipped otherwise so the unit suite stays runnable everywhere.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe.skipIf(!existsSync(chromiumPath))('ConnectWise UI in a browser', () => {
  let emu: RunningEmulator;
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    emu = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await emu?.close();
  });

  // Runs in the page: does the banner label start with `p`?
  const hasLabel = (p: string) => document.querySelector('.detailLabel')?.textContent?.startsWith(p) ?? false;

  it('navigates between records without reloading, and back/forward works', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const t = emu.data.tickets.rows[0] as CwRecord;
    const co = t.company as { id: number; name: string };
    await page.goto(`${emu.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${t.id}`);
    expect(await page.title()).toBe(`Manage: Service Ticket #${t.id} - ${String(t.summary)}`);
    expect(await page.inputValue('input.cw_company')).toBe(co.name);
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));

    await page.click('[data-testid=ticket-company-link]');
    await page.waitForFunction(hasLabel, 'Company:');
    expect(page.url()).toBe(`${emu.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=CompanyFV&recid=${co.id}`);
    expect(await page.title()).toBe(`Manage: Company: ${co.name}`);

    await page.click('[data-testid=company-config-link] >> nth=0');
    await page.waitForFunction(hasLabel, 'Configuration:');
    expect(page.url()).toContain('routeTo=ConfigFV&recid=');

    await page.goBack();
    await page.waitForFunction(hasLabel, 'Company:');
    await page.click('[data-testid=nav-board]');
    await page.waitForSelector('table.srboard-grid tr.cw-ml-row a.multilineClickable');
    await page.click('table.srboard-grid tr.cw-ml-row a.multilineClickable >> nth=1');
    await page.waitForFunction(hasLabel, 'Service Ticket');
    const state = await page.evaluate(() => ({
      marker: (window as unknown as { __marker?: number }).__marker,
      navigations: (window as unknown as { __cwNavigations: number }).__cwNavigations,
    }));
    expect(state).toEqual({ marker: 42, navigations: 5 });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('renders hash-state ticket URLs client-side', async () => {
    const page = await browser.newPage();
    const t = emu.data.tickets.rows[1] as CwRecord;
    const state = encodeURIComponent(JSON.stringify({ p: 'sr150', s: { p: { pid: 184, rd: t.id, screenid: 'sr100' } } }));
    await page.goto(`${emu.baseUrl}/v4_6_release/connectwise.aspx?fullscreen=false&locale=en_US#startscreen=sr150&state=${state}`);
    await page.waitForFunction(hasLabel, 'Service Ticket');
    expect(await page.textContent('.cw_BannerView .detailLabel.cw_CwLabel')).toBe(`Service Ticket #${t.id} - ${String(t.summary)}`);
    await page.close();
  }, 60_000);
});

import type { Locator, Page } from '@playwright/test';
import { startEmulator } from '../emulator/index.ts';
import { expect, test } from './fixtures';
import { connectwiseReady, psaReady } from './flows';
import { startKaseyaBmsEmulator } from '../emulator/kaseya-bms/start.ts';

/**
 * Issue #16, counts onto agreements (Password Boss's guide), as an MSP's billing person does it: a
 * "Workstations" layout (a sort rule files the PSA's workstation type there), then Billing: the
 * status toggle, "Configurations in layout Workstations" -> the PSA's Managed Workstation product,
 * the suggested agreements; Preview (from -> to), Sync now writes the PSA's quantities, a second
 * run writes nothing, a company without an agreement says why, and the toggle off sends nothing.
 */

/** Sync options: a new layout "Workstations" with a rule filing `typeName` there; saved (re-sorts what is synced). */
async function workstationsLayout(card: Locator, typeName: string) {
  await card.getByRole('button', { name: 'Sync options' }).click();
  const syncOptions = card.getByTestId('sync-options');
  await syncOptions.getByLabel('Name of a layout to create').fill('Workstations');
  await syncOptions.getByRole('button', { name: 'Create layout and add a rule' }).click();
  await syncOptions.getByLabel('Rule 1 type').fill(typeName);
  await syncOptions.getByLabel('Rule 1 layout').selectOption({ label: 'Workstations' });
  await syncOptions.getByRole('button', { name: 'Save rules' }).click();
  await expect(syncOptions.getByTestId('sync-options-message')).toHaveText(/Rules saved; \d+ synced records? re-sorted/);
  await card.getByRole('button', { name: 'Sync options' }).click();
}

/** Billing: on, one mapping, saved with the suggested agreements. Returns the panel. */
async function billingOn(card: Locator, product: string): Promise<Locator> {
  await card.getByTestId('billing-toggle').click();
  const billing = card.getByTestId('billing-panel');
  await billing.getByTestId('billing-enabled').check();
  await billing.getByTestId('billing-mapping-add').click();
  const mapping = billing.getByTestId('billing-mapping');
  await mapping.getByLabel('What to count').selectOption({ label: 'Configurations in layout “Workstations”' });
  await mapping.getByLabel('PSA product').selectOption({ label: product });
  await billing.getByTestId('billing-save').click();
  await expect(billing.getByTestId('billing-message')).toHaveText('Billing settings saved.');
  return billing;
}

const companyRow = (billing: Locator, name: string) => billing.locator(`[data-testid="billing-company"][data-company="${name}"]`);
const planLine = (billing: Locator, name: string) => billing.locator(`[data-testid="billing-plan-company"][data-company="${name}"]`);

test.describe('billing counts onto agreements (#16)', () => {
  test.describe.configure({ timeout: 240_000 });

  test('ConnectWise: Workstations counts onto agreement additions, once; no agreement says why; off sends nothing', async ({ openExtensionPage }) => {
    const cw = await startEmulator({ psa: 'connectwise', preset: 'demo' });
    try {
      const options: Page = await openExtensionPage('options.html');
      const card = await connectwiseReady(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
      await workstationsLayout(card, 'Managed Workstation');
      const billing = await billingOn(card, 'Managed Workstation');

      // Tailspin Toys (105) bills on agreement 507 (it has several: a person picks one); its Managed Workstation line is updated.
      await companyRow(billing, 'Tailspin Toys').getByLabel('Agreement for Tailspin Toys').selectOption('507');
      await billing.getByTestId('billing-save').click();
      await expect(billing.getByTestId('billing-message')).toHaveText('Billing settings saved.');
      const workstations = (companyId: number) =>
        cw.data.configurations.rows.filter(
          (row) =>
            (row.company as { id: number }).id === companyId && (row.type as { name: string }).name === 'Managed Workstation' && row.activeFlag !== false,
        ).length;
      const addition = (agreementId: number) =>
        cw.data.additions.rows.filter((row) => row.agreementId === agreementId && (row.product as { id: number }).id === 301 && !row.cancelledDate);
      await billing.getByTestId('billing-preview').click();
      const tailspin = planLine(billing, 'Tailspin Toys');
      await expect(tailspin).toContainText(
        `Managed Workstation (Configurations in Workstations): ${addition(507)[0]?.quantity ?? 'none'} → ${workstations(105)}`,
      );
      await expect(planLine(billing, 'Consolidated Messenger')).toContainText('No agreement: ConnectWise');
      const writes = () => cw.control.requests().filter((entry) => /additions/.test(entry.path) && entry.method !== 'GET').length;
      expect(writes()).toBe(0); // a preview writes nothing

      await billing.getByTestId('billing-run').click();
      await expect(billing.getByTestId('billing-message')).toHaveText(/^Billing counts sent: \d+ quantit(y|ies) updated/);
      expect(addition(507).map((row) => row.quantity)).toEqual([workstations(105)]);
      const written = writes();
      expect(written).toBeGreaterThan(0);
      await expect(companyRow(billing, 'Tailspin Toys').getByTestId('billing-company-status')).toContainText('OK: ');
      await expect(companyRow(billing, 'Consolidated Messenger').getByTestId('billing-company-status')).toContainText(
        /Skipped: No agreement: ConnectWise .*has no agreement or contract for this company/,
      );
      await expect(billing.getByTestId('billing-log').getByTestId('billing-log-entry').filter({ hasText: 'Tailspin Toys' })).toHaveCount(1);

      // A second run: nothing changed, nothing written.
      await billing.getByTestId('billing-run').click();
      await expect(billing.getByTestId('billing-message')).toHaveText(/^Billing counts sent: 0 quantities updated/);
      expect(writes()).toBe(written);

      // The integration status off: Sync now is not offered and nothing is sent; the settings stay editable.
      await billing.getByTestId('billing-enabled').uncheck();
      await billing.getByTestId('billing-save').click();
      await expect(billing.getByTestId('billing-message')).toHaveText('Billing settings saved.');
      await expect(billing.getByTestId('billing-run')).toBeDisabled();
      await expect(billing.getByTestId('billing-preview')).toBeEnabled();
      expect(writes()).toBe(written);
    } finally {
      await cw.close();
    }
  });

  /** The same walk on another PSA: pick the company's agreement, preview, send, send again, and the one without says why. */
  async function walk(
    billing: Locator,
    company: { name: string; agreementId: string; count: () => number; quantity: () => number | undefined },
    without: string,
    writes: () => number,
  ) {
    await companyRow(billing, company.name).getByLabel(`Agreement for ${company.name}`).selectOption(company.agreementId);
    await billing.getByTestId('billing-save').click();
    await expect(billing.getByTestId('billing-message')).toHaveText('Billing settings saved.');
    await billing.getByTestId('billing-preview').click();
    await expect(planLine(billing, company.name)).toContainText(
      `Managed Workstation (Configurations in Workstations): ${company.quantity() ?? 'none'} → ${company.count()}`,
    );
    await expect(planLine(billing, without)).toContainText('No agreement');
    expect(writes()).toBe(0);
    await billing.getByTestId('billing-run').click();
    await expect(billing.getByTestId('billing-message')).toHaveText(/^Billing counts sent: \d+ quantit(y|ies) updated/);
    expect(company.quantity()).toBe(company.count());
    const written = writes();
    expect(written).toBeGreaterThan(0);
    await expect(companyRow(billing, without).getByTestId('billing-company-status')).toContainText('Skipped: No agreement');
    await billing.getByTestId('billing-run').click();
    await expect(billing.getByTestId('billing-message')).toHaveText(/^Billing counts sent: 0 quantities updated/);
    expect(writes()).toBe(written);
  }

  test('Kaseya BMS: Workstations counts onto a contract’s services, once; no contract says why', async ({ openExtensionPage }) => {
    const bms = await startKaseyaBmsEmulator({ preset: 'demo', rateLimit: null });
    try {
      const creds = bms.credentials.valid;
      const options = await openExtensionPage('options.html');
      const card = await psaReady(
        options,
        'Kaseya BMS / Pulseway PSA',
        { region: 'custom', customDomain: bms.baseUrl, tenant: creds.tenant, username: creds.userName, password: creds.password },
        /Kaseya BMS/,
      );
      await workstationsLayout(card, 'Workstation');
      const billing = await billingOn(card, 'Managed Workstation');
      const account = bms.data.accounts.rows.find((row) => row.accountName === 'Tailspin Toys')!;
      const count = () => bms.data.assets.rows.filter((row) => row.accountId === account.id && row.categoryId === 14 && row.isActive).length;
      // BMS sends no units for a contract's services: the preview's "from" is what Sidecar last wrote (none yet).
      const line = () => bms.data.contractServices.rows.filter((row) => row.contractId === 5541 && row.serviceId === 1401);
      const writes = () =>
        bms.control.requests().filter((entry) => /finance\/contracts\/recurringservices\/5541\/services/.test(entry.path) && entry.method !== 'GET').length;
      await walk(
        billing,
        { name: 'Tailspin Toys', agreementId: '5541', count, quantity: () => (writes() ? line()[0]?.units : undefined) },
        'Southridge Video',
        writes,
      );
      expect(line()).toHaveLength(1);
    } finally {
      await bms.close();
    }
  });

  test('HaloPSA: Workstations counts onto the contract’s recurring invoice lines, once; no contract says why', async ({ openExtensionPage }) => {
    const halo = await startEmulator({ psa: 'halo', preset: 'demo', rateLimit: null });
    try {
      const creds = halo.credentials.valid;
      const options = await openExtensionPage('options.html');
      const card = await psaReady(
        options,
        'HaloPSA',
        { resourceServer: `${halo.baseUrl}/api`, tenant: creds.tenant ?? '', clientId: creds.clientId, clientSecret: creds.clientSecret },
        /HaloPSA/,
      );
      await workstationsLayout(card, 'Desktop');
      const billing = await billingOn(card, 'Managed Workstation');
      const count = () => halo.data.assets.rows.filter((row) => row.client_id === 14 && row.assettype_id === 131 && !row.inactive).length;
      const line = () =>
        halo.data.recurringInvoices.rows
          .filter((invoice) => invoice.contract_id === 805)
          .flatMap((invoice) => invoice._lines as { _itemid: number; qty_order: number }[])
          .filter((row) => row._itemid === 201);
      const writes = () => halo.control.requests().filter((entry) => /RecurringInvoice\/(updatelines|Lines)/i.test(entry.path)).length;
      const name = (id: number) => String(halo.data.clients.get(id)!.name);
      // Client 14 bills on contract 805's recurring invoice; client 15 has no contract (the emulator's demo data).
      await walk(billing, { name: name(14), agreementId: '805', count, quantity: () => line()[0]?.qty_order }, name(15), writes);
      expect(line()).toHaveLength(1);
    } finally {
      await halo.close();
    }
  });
});

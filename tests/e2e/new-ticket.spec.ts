import type { Locator, Page } from '@playwright/test';
import { startKaseyaBmsEmulator, type RunningKaseyaBms } from '../emulator/kaseya-bms/start.ts';
import { startEmulator } from '../emulator/index.ts';
import { cwCompanyIdOf } from '../emulator/connectwise/facts.ts';
import { expect, overlayOf, test } from './fixtures';
import { connectwiseReady, integrationCard, psaReady, setTicketDefaults } from './flows';

/**
 * Issue #16 on each PSA's emulator, as a technician on a busy queue does it: ticket defaults and a
 * rule in the options page (its tester names the rule), then, on a ticket page, "New ticket" on the
 * page's server: the preview shows the rule's priority and queue and its appended text, and the
 * ticket lands in the PSA once. The PSA down: the ticket waits in the outbox (popup) and is created
 * once when it is back, also when the first attempt's answer was lost after the PSA created it.
 */

interface RuleValues {
  priority: string;
  queue: string;
}

/** Options › Tickets: defaults for the listed fields, then the Servers rule; saved. */
async function setUpTickets(card: Locator, defaults: Record<string, string>, rule: RuleValues) {
  const settings = await setTicketDefaults(card, defaults);
  await settings.getByTestId('ticket-rule-add').click();
  const ruleBox = settings.getByTestId('ticket-rule').last();
  await ruleBox.getByRole('textbox', { name: /name/ }).fill('Servers');
  const condition = ruleBox.getByTestId('ticket-rule-condition');
  await condition.getByLabel('Variable').selectOption('configurationType');
  await condition.getByLabel('Operator').selectOption('contains');
  await condition.getByLabel('Value').fill('Server');
  const actions = ruleBox.getByTestId('ticket-rule-action');
  await actions.nth(0).getByLabel('Action').selectOption('priority');
  await actions.nth(0).getByLabel('To').fill(rule.priority);
  await ruleBox.getByRole('button', { name: 'Add action' }).click();
  await actions.nth(1).getByLabel('Action').selectOption('queue');
  await actions.nth(1).getByLabel('To').fill(rule.queue);
  await ruleBox.getByRole('button', { name: 'Add action' }).click();
  await actions.nth(2).getByLabel('Action').selectOption('append');
  await actions.nth(2).getByLabel('To').fill('Host {hostname} at {ip}');
  await settings.getByTestId('ticket-settings-save').click();
  await expect(settings.getByTestId('ticket-settings-message')).toHaveText('Ticket settings saved.');
  // The tester says where a server's ticket goes, and because of which rule.
  const tester = settings.getByTestId('ticket-rule-tester');
  await tester.getByLabel('Test configurationType').fill('Server');
  await expect(tester.getByTestId('ticket-rule-tester-result')).toContainText(`is ${rule.queue} because of rule 1 (Servers)`);
  await tester.getByLabel('Test configurationType').fill('Workstation');
  await expect(tester.getByTestId('ticket-rule-tester-result')).toContainText('no rule applies');
}

const ticketForm = (page: Page) => overlayOf(page).getByTestId('sidecar-ticket-form');

/** "New ticket" on the overlay row of this configuration, and the title typed. */
async function newTicketFor(page: Page, configurationId: string, title: string): Promise<void> {
  const row = overlayOf(page).locator(`[data-testid="sidecar-item"][data-remote-id="${configurationId}"]`).first();
  await row.getByTestId('sidecar-new-ticket-for').click();
  await ticketForm(page).getByTestId('sidecar-ticket-title').fill(title);
}

/** The form's Create button, once the preview found nothing to refuse. */
async function createWhenReady(page: Page): Promise<void> {
  const create = ticketForm(page).getByTestId('sidecar-ticket-create');
  await expect.poll(() => create.getAttribute('aria-disabled'), { timeout: 10_000 }).toBeNull();
  await create.click();
}

async function popupOutbox(openExtensionPage: (file: string) => Promise<Page>) {
  const popup = await openExtensionPage('popup.html');
  return { popup, items: popup.getByTestId('popup-outbox').getByTestId('outbox-item') };
}

/** The PSA down (every connection reset): the ticket waits in the popup's outbox, and is sent by Try again once the PSA is back. */
async function outboxWhileDown(
  page: Page,
  openExtensionPage: (file: string) => Promise<Page>,
  control: { injectFault(fault: { path: RegExp; reset: boolean; times: number }): void; clearFaults(): void },
  configurationId: string,
  title: string,
) {
  await overlayOf(page).getByTestId('sidecar-ticket-outcome').getByRole('button', { name: 'Done' }).click();
  control.injectFault({ path: /^\//, reset: true, times: Infinity });
  await newTicketFor(page, configurationId, title);
  await createWhenReady(page);
  await expect(overlayOf(page).getByTestId('sidecar-ticket-outcome')).toHaveAttribute('data-state', 'waiting');
  const { items } = await popupOutbox(openExtensionPage);
  const waiting = items.filter({ hasText: title });
  await expect(waiting).toHaveAttribute('data-state', 'waiting');
  control.clearFaults();
  await waiting.getByTestId('outbox-retry').click();
  await expect(waiting).toHaveAttribute('data-state', 'created');
}

test.describe('new tickets from Sidecar (#16)', () => {
  test.describe.configure({ timeout: 240_000 });

  test('Kaseya BMS: rule, preview, BMS’s queue-or-assignee rule, outbox while down, no duplicate after a lost answer', async ({
    context,
    openExtensionPage,
  }) => {
    const bms: RunningKaseyaBms = await startKaseyaBmsEmulator({ preset: 'demo', rateLimit: null });
    try {
      const creds = bms.credentials.valid;
      const options = await openExtensionPage('options.html');
      const card = await psaReady(
        options,
        'Kaseya BMS / Pulseway PSA',
        { region: 'custom', customDomain: bms.baseUrl, tenant: creds.tenant, username: creds.userName, password: creds.password },
        /Kaseya BMS/,
      );
      await setUpTickets(card, { status: 'New', type: 'Incident', source: 'Phone' }, { priority: '1 hr SLA - Critical', queue: 'Projects & Escalations' });

      // A ticket of an account that has a server with an IP address.
      const server = bms.data.assets.rows.find(
        (asset) => asset.categoryId === 16 && asset.isActive && asset.ipAddress && bms.data.tickets.rows.some((ticket) => ticket.accountId === asset.accountId),
      )!;
      const ticket = bms.data.tickets.rows.find((row) => row.accountId === server.accountId)!;
      const page = await context.newPage();
      await page.goto(`${bms.baseUrl}/react/servicedesk/tickets/${ticket.id}`);
      await expect(overlayOf(page).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');

      // The server's ticket: the rule's priority and queue, its text appended, shown before sending.
      await newTicketFor(page, String(server.id), 'Disk almost full');
      const preview = ticketForm(page).getByTestId('sidecar-ticket-preview');
      await expect(preview.getByTestId('sidecar-ticket-preview-priority')).toContainText('1 hr SLA - Critical (rule 1 (Servers))');
      await expect(preview.getByTestId('sidecar-ticket-preview-queue')).toContainText('Projects & Escalations (rule 1 (Servers))');
      await expect(preview.getByTestId('sidecar-ticket-appended')).toContainText(`Host ${server.name} at ${server.ipAddress}`);
      await expect(preview.getByTestId('sidecar-ticket-request')).toContainText('POST v2/servicedesk/tickets');
      await expect(preview.getByTestId('sidecar-ticket-request')).toContainText(`"hardwareAssetId": ${server.id}`);
      await createWhenReady(page);
      const outcome = overlayOf(page).getByTestId('sidecar-ticket-outcome');
      await expect(outcome).toHaveAttribute('data-state', 'created');
      const created = bms.data.tickets.rows.filter((row) => row.title === 'Disk almost full');
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ accountId: server.accountId, hardwareAssetId: server.id, priorityId: 28788, queueId: 27981 });
      expect(String(created[0]!.details)).toContain(`Host ${server.name} at ${server.ipAddress}`);
      await expect(outcome.getByTestId('sidecar-ticket-link')).toHaveText(`#${String(created[0]!.ticketNumber)}`);
      await outcome.getByRole('button', { name: 'Done' }).click();
      await expect(overlayOf(page).getByTestId('sidecar-made-tickets')).toContainText('Disk almost full');

      // No rule for the company itself: neither queue nor assignee, refused before any request.
      const ticketPosts = () => bms.control.requests().filter((entry) => entry.method === 'POST' && /servicedesk\/tickets$/.test(entry.path)).length;
      const postsBefore = ticketPosts();
      await overlayOf(page).getByTestId('sidecar-new-ticket').click();
      const plain = overlayOf(page).getByTestId('sidecar-ticket-form');
      await plain.getByTestId('sidecar-ticket-title').fill('Printer offline');
      await expect(plain.getByTestId('sidecar-ticket-error-queue')).toHaveText('Kaseya BMS needs a queue, an assignee, or both.');
      await expect(plain.getByTestId('sidecar-ticket-create')).toHaveAttribute('aria-disabled', 'true');
      expect(ticketPosts()).toBe(postsBefore);
      await plain.getByRole('button', { name: 'Cancel' }).click();

      // The PSA down: the ticket waits in the outbox, then is created once when it is back.
      bms.control.injectFault({ path: /^\//, reset: true, times: Infinity });
      await newTicketFor(page, String(server.id), 'Backup job failed');
      await createWhenReady(page);
      await expect(overlayOf(page).getByTestId('sidecar-ticket-outcome')).toHaveAttribute('data-state', 'waiting');
      const { popup, items } = await popupOutbox(openExtensionPage);
      const waiting = items.filter({ hasText: 'Backup job failed' });
      await expect(waiting).toHaveAttribute('data-state', 'waiting');
      await expect(waiting.getByTestId('outbox-state')).toContainText('Waiting for the PSA');
      bms.control.clearFaults();
      await waiting.getByTestId('outbox-retry').click();
      await expect(waiting).toHaveAttribute('data-state', 'created');
      expect(bms.data.tickets.rows.filter((row) => row.title === 'Backup job failed')).toHaveLength(1);
      // The overlay looks again while a ticket of its company waits, and shows it sent.
      await expect(overlayOf(page).getByTestId('sidecar-made-tickets')).toContainText(/Backup job failed \(created\)/, { timeout: 15_000 });

      // The answer lost after BMS created the ticket: the retry finds it instead of making a second.
      await overlayOf(page).getByTestId('sidecar-ticket-outcome').getByRole('button', { name: 'Done' }).click();
      bms.control.injectFault({ method: 'POST', path: /\/servicedesk\/tickets$/, hangAfterHandling: true });
      await newTicketFor(page, String(server.id), 'RAID degraded');
      await createWhenReady(page);
      const lostRow = items.filter({ hasText: 'RAID degraded' });
      await expect(lostRow).toHaveAttribute('data-state', 'waiting', { timeout: 40_000 });
      expect(bms.data.tickets.rows.filter((row) => row.title === 'RAID degraded')).toHaveLength(1);
      await lostRow.getByTestId('outbox-retry').click();
      await expect(lostRow).toHaveAttribute('data-state', 'created');
      expect(bms.data.tickets.rows.filter((row) => row.title === 'RAID degraded')).toHaveLength(1);
      await popup.close();
      await expect(integrationCard(options, /Kaseya BMS/)).toBeVisible();
    } finally {
      await bms.close();
    }
  });

  /** The server's ticket on a ticket page of its company: the rule in the preview, then created once. */
  async function serverTicket(page: Page, server: { id: number; name: string }, title: string, rule: RuleValues & { queueLabel: string }) {
    await expect(overlayOf(page).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
    await newTicketFor(page, String(server.id), title);
    const preview = ticketForm(page).getByTestId('sidecar-ticket-preview');
    await expect(preview.getByTestId('sidecar-ticket-preview-priority')).toContainText(`${rule.priority} (rule 1 (Servers))`);
    await expect(preview.locator(`[data-testid="sidecar-ticket-preview-${rule.queueLabel}"]`)).toContainText(`${rule.queue} (rule 1 (Servers))`);
    await expect(preview.getByTestId('sidecar-ticket-appended')).toContainText(`Host ${server.name} at `);
    await createWhenReady(page);
    await expect(overlayOf(page).getByTestId('sidecar-ticket-outcome')).toHaveAttribute('data-state', 'created');
    await expect(overlayOf(page).getByTestId('sidecar-ticket-link')).toBeVisible();
  }

  test('ConnectWise: the rule picks board and priority, the configuration is attached, the PSA down leaves it in the outbox', async ({
    context,
    openExtensionPage,
  }) => {
    const cw = await startEmulator({ psa: 'connectwise', preset: 'demo' });
    try {
      const options = await openExtensionPage('options.html');
      const card = await connectwiseReady(options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
      const rule = { priority: 'P1 - Emergency', queue: '02 - Onsite' };
      await setUpTickets(card, { board: '01 - Help Desk' }, rule);
      const servers = cw.data.configurations.rows.filter(
        (row) => /Server/.test(String((row.type as { name: string }).name)) && row.ipAddress && row.activeFlag !== false,
      );
      const ticket = cw.data.tickets.rows.find((row) => servers.some((server) => (server.company as { id: number }).id === cwCompanyIdOf(row)))!;
      const server = servers.find((row) => (row.company as { id: number }).id === cwCompanyIdOf(ticket))!;
      const page = await context.newPage();
      await page.goto(`${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${ticket.id}`);
      await serverTicket(page, { id: Number(server.id), name: String(server.name) }, 'Disk almost full', { ...rule, queueLabel: 'board' });
      const created = cw.data.tickets.rows.filter((row) => row.summary === 'Disk almost full');
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ board: { id: 2 }, priority: { id: 8 } });
      expect(cw.data.ticketConfigurations.get(Number(created[0]!.id))).toEqual([Number(server.id)]);

      await outboxWhileDown(page, openExtensionPage, cw.control, String(server.id), 'Backup job failed');
      expect(cw.data.tickets.rows.filter((row) => row.summary === 'Backup job failed')).toHaveLength(1);
    } finally {
      await cw.close();
    }
  });

  test('HaloPSA: the rule picks team and priority, the asset is on the ticket, the PSA down leaves it in the outbox', async ({
    context,
    openExtensionPage,
  }) => {
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
      const rule = { priority: 'High', queue: 'Infrastructure' };
      await setUpTickets(card, {}, rule);
      const servers = halo.data.assets.rows.filter((row) => row.assettype_id === 132 && !row.inactive && row.key_field);
      const ticket = halo.data.tickets.rows.find((row) => servers.some((server) => server.client_id === row.client_id))!;
      const server = servers.find((row) => row.client_id === ticket.client_id)!;
      const page = await context.newPage();
      await page.goto(`${halo.baseUrl}/tickets?id=${ticket.id}`);
      await serverTicket(page, { id: Number(server.id), name: String(server.key_field) }, 'Disk almost full', { ...rule, queueLabel: 'team' });
      const created = halo.data.tickets.rows.filter((row) => row.summary === 'Disk almost full');
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ client_id: server.client_id, team: 'Infrastructure', priority_id: 2 });
      expect(created[0]!._assets).toEqual([Number(server.id)]);

      await outboxWhileDown(page, openExtensionPage, halo.control, String(server.id), 'Backup job failed');
      expect(halo.data.tickets.rows.filter((row) => row.summary === 'Backup job failed')).toHaveLength(1);
    } finally {
      await halo.close();
    }
  });
});

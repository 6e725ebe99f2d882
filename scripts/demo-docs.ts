/**
 * The demo's sample documentation: what a technician would write for a client on its
 * client-space page (pinned notes, an article with a checklist and a table, a hand-filled field,
 * a credential), typed into the page as a person would, so a new user sees what Sidecar is for.
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { RunningEmulator } from '../tests/emulator/index.ts';
import { cwCompanyIdOf, cwCompanyIsLive } from '../tests/emulator/connectwise/facts.ts';

export interface SampleClient {
  companyName: string;
  /** A configuration of the client, for a note of its own. */
  deviceId?: number;
}

const ARTICLE = `# Monthly health check

Run this on the first Monday of each month.

- [x] Backups: last night's job finished (NAS and offsite)
- [ ] Patch report reviewed, reboots scheduled after 18:00
- [ ] Firewall firmware checked against the vendor's advisories

| System | Who to call | When |
|---|---|---|
| Phones | Reception | Before 09:00 |
| Line-of-business app | Vendor support | Any time |

Escalation: see the pinned note on the client's page.
`;

/**
 * The demo's ticket (a live company's, with more than three configurations: inactive companies
 * arrive archived, not matched) and the three clients documented: its company first.
 */
export function demoTicketAndClients(cw: RunningEmulator): { ticket: Record<string, unknown> & { id: number }; clients: SampleClient[] } {
  const live = new Set(cw.data.companies.rows.filter(cwCompanyIsLive).map((row) => row.id));
  const ticket = cw.data.tickets.rows.find((row) => live.has(cwCompanyIdOf(row)) && cw.data.configurations.children(cwCompanyIdOf(row)).length > 3)!;
  const documented = [cwCompanyIdOf(ticket), ...[...live].filter((id) => id !== cwCompanyIdOf(ticket)).slice(0, 2)];
  const clients = documented.map((id) => {
    const device = cw.data.configurations.children(id)[0];
    return { companyName: String(cw.data.companies.get(id)!.name), ...(device ? { deviceId: device.id } : {}) };
  });
  return { ticket, clients };
}

export async function writeSampleDocumentation(context: BrowserContext, options: Page, clients: SampleClient[]): Promise<void> {
  for (const [index, client] of clients.entries()) {
    const [space] = await Promise.all([
      context.waitForEvent('page'),
      options.getByTestId('client-spaces').getByRole('link', { name: client.companyName, exact: true }).click(),
    ]);
    await space.getByTestId('space-name').waitFor();
    const notes = space.getByTestId('space-notes');
    const pin = async (text: string) => {
      await notes.getByLabel('New note').fill(text);
      await notes.getByRole('button', { name: 'Pin note' }).click();
      await notes.getByTestId('space-note').filter({ hasText: text }).waitFor();
    };
    await pin(
      index === 0
        ? 'Call Dana (office manager) before rebooting the file server: the practice software locks patient records.'
        : 'Site visits: sign in at reception; parking behind the building.',
    );
    await pin('After-hours emergencies: call the owner, Pat, on 555-0100; the firewall login is under Credentials.');

    const articles = space.getByTestId('space-articles');
    await articles.getByRole('button', { name: 'New article' }).click();
    const form = articles.getByTestId('article-form');
    await form.getByLabel('Title').fill('Monthly health check');
    await form.getByLabel(/^Text/).fill(ARTICLE);
    await form.getByRole('button', { name: 'Save article' }).click();
    await articles.getByTestId('article').waitFor();

    const credentials = space.getByTestId('space-credentials');
    await credentials.getByRole('button', { name: 'New credential' }).click();
    const credential = credentials.getByTestId('credential-form');
    await credential.getByLabel('Name', { exact: true }).fill('Firewall admin');
    await credential.getByLabel('User name').fill('admin');
    await credential.getByLabel('URL').fill('https://firewall.example');
    await credential.getByLabel('Secret', { exact: true }).fill(`demo-${crypto.randomUUID().slice(0, 8)}`);
    await credential.getByRole('button', { name: 'Save credential' }).click();
    await credentials.getByTestId('credential-form').waitFor({ state: 'detached' });

    if (client.deviceId !== undefined) {
      const record = space.getByTestId('space-record').and(space.locator(`[data-remote-id="${client.deviceId}"]`));
      await record.locator('summary').click();
      await record.getByLabel(/^Note on /).fill('Spare power supply is in the comms cupboard, top shelf.');
      await record.getByRole('button', { name: 'Pin note' }).click();
      await record.getByTestId('record-note').waitFor();
    }
    await space.close();
  }
}

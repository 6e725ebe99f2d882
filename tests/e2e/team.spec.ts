import type { BrowserContext, Page } from '@playwright/test';
import { startEmulator } from '../emulator/index.ts';
import { startTeamServerWith, type TeamServer } from '../team-server/index.ts';
import { cwCompanyIdOf } from '../emulator/connectwise/facts.ts';
import { expect, launchWithExtension, overlayOf, serviceWorkerOf, test } from './fixtures';
import { connectwiseReady, integrationCard, joinTeam, openMatching, cardMenuButton } from './flows';

/**
 * Issue #15 as two technicians of one MSP meet it, each in their own browser profile, with
 * `pouchdb-server` on loopback as the team's CouchDB: Alex configures ConnectWise, syncs, matches
 * and writes a note, then sets the team up; Dana joins with no PSA credentials (a wrong team
 * passphrase first) and sees Alex's client spaces, matches, records and note with no request of
 * hers reaching the PSA; Dana's edit reaches Alex; both edit one article while the server is down and both versions
 * are kept and said; Dana, removed from the database's members, is told so and her copy is read-only.
 */

const DATABASE = 'sidecar-team';
const PASSPHRASE = 'ocean orbit velvet 42';

test.describe('one team through its CouchDB', () => {
  let server: TeamServer | undefined;
  const closers: (() => Promise<void>)[] = [];
  test.afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
    await server?.close();
  });

  async function profile(): Promise<{ context: BrowserContext; options: Page; extensionId: string; close: () => Promise<void> }> {
    const launched = await launchWithExtension();
    closers.push(launched.close);
    const extensionId = new URL((await serviceWorkerOf(launched.context)).url()).host;
    const options = await launched.context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    return { context: launched.context, options, extensionId, close: launched.close };
  }

  async function setName(options: Page, name: string): Promise<void> {
    await options.getByTestId('author').getByLabel('Your name').fill(name);
    await options.getByTestId('author').getByRole('button', { name: 'Save name' }).click();
    await expect(options.getByTestId('author-result')).toContainText(name);
  }

  test('Alex shares, Dana joins without PSA keys, edits travel both ways, offline edits are both kept, a removed member is told', async () => {
    test.setTimeout(180_000);
    server = await startTeamServerWith(DATABASE, ['alex', 'dana']);
    const cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
    closers.push(() => cw.close());
    const team = (username: string, password: string, passphrase = PASSPHRASE) => ({
      serverUrl: server!.url,
      database: DATABASE,
      username,
      password,
      passphrase,
    });

    // Alex: ConnectWise synced and matched, a note written, then the team set up.
    const alex = await profile();
    await setName(alex.options, 'Alex');
    await connectwiseReady(alex.options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
    const spaceRow = alex.options.getByTestId('client-spaces').getByTestId('space-row').first();
    const spaceName = (await spaceRow.getByRole('link').first().textContent())!;
    const [alexSpace] = await Promise.all([alex.context.waitForEvent('page'), spaceRow.getByRole('link', { name: spaceName, exact: true }).click()]);
    await alexSpace.getByTestId('space-notes').getByLabel('New note').fill('Call Dana before rebooting the file server');
    await alexSpace.getByTestId('space-notes').getByRole('button', { name: 'Pin note' }).click();
    await expect(alexSpace.getByTestId('space-note')).toContainText('Call Dana before rebooting the file server');
    const articles = alexSpace.getByTestId('space-articles');
    await articles.getByRole('button', { name: 'New article' }).click();
    await articles.getByTestId('article-form').getByLabel('Title').fill('Backups');
    await articles.getByTestId('article-form').getByLabel(/^Text/).fill('Checked on Mondays.');
    await articles.getByTestId('article-form').getByRole('button', { name: 'Save article' }).click();
    await expect(articles.getByTestId('article')).toContainText('Checked on Mondays.');

    // Alex looks a ticket of that client up in ConnectWise: the answer is shared with the team.
    const company = cw.data.companies.rows.find((row) => row.name === spaceName)!;
    const ticket = cw.data.tickets.rows.find((row) => cwCompanyIdOf(row) === company.id)!;
    const ticketUrl = `${cw.baseUrl}/v4_6_release/ConnectWise.aspx?locale=en_US&routeTo=ServiceFV&recid=${ticket.id}`;
    const alexTicket = await alex.context.newPage();
    await alexTicket.goto(ticketUrl);
    await expect(overlayOf(alexTicket).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');

    await joinTeam(alex.options, team('alex', 'alex-password'));
    await expect(alex.options.getByTestId('team-join-result')).toHaveText('Team set up: you are its first member.');
    await expect(alex.options.getByTestId('team-state')).toContainText('Up to date with the team.', { timeout: 20_000 });
    // The popup says it too.
    const popup = await alex.context.newPage();
    await popup.goto(`chrome-extension://${alex.extensionId}/popup.html`);
    await expect(popup.getByTestId('popup-team')).toContainText(`Team: ${DATABASE}`);
    await expect(popup.getByTestId('popup-team-state')).toContainText('Up to date with the team.');
    await popup.close();

    // Dana: no PSA integration. A wrong team passphrase first: said at its field, nothing joined.
    cw.control.resetRequestLog();
    const dana = await profile();
    await setName(dana.options, 'Dana');
    const danaTeam = await joinTeam(dana.options, team('dana', 'dana-password', 'not the team passphrase'));
    await expect(danaTeam.getByText(/The team passphrase is wrong/).first()).toBeVisible();
    await expect(dana.options.getByTestId('team-join-result')).toContainText('The team passphrase is wrong');
    await danaTeam.getByLabel('Team passphrase').fill(PASSPHRASE);
    await danaTeam.getByRole('button', { name: 'Join team' }).click();
    await expect(dana.options.getByTestId('team-join-result')).toHaveText('Joined the team.');

    // Alex's client spaces and note reach Dana; no request of hers reached the PSA.
    const danaRow = dana.options.getByTestId('client-spaces').getByTestId('space-row').filter({ hasText: spaceName });
    await expect(danaRow).toHaveCount(1, { timeout: 20_000 });
    const [danaSpace] = await Promise.all([dana.context.waitForEvent('page'), danaRow.getByRole('link', { name: spaceName, exact: true }).click()]);
    // The records Alex's sync brought, under the company Alex matched, with no PSA keys here.
    await expect(danaSpace.getByTestId('space-sources')).toContainText(`${spaceName} in ConnectWise`);
    const alexRecords = await alexSpace.getByTestId('space-record').count();
    expect(alexRecords).toBeGreaterThan(0);
    await expect(danaSpace.getByTestId('space-record')).toHaveCount(alexRecords);
    await expect(dana.options.getByTestId('integration').getByTestId('connection-status')).toContainText('From your team');
    await expect(danaSpace.getByTestId('space-note')).toContainText('Call Dana before rebooting the file server');
    await expect(danaSpace.getByTestId('space-note')).toContainText('Alex');
    await danaSpace.getByTestId('space-articles').getByRole('link', { name: 'Backups' }).click();
    await expect(danaSpace.getByTestId('space-articles').getByTestId('article')).toContainText('Checked on Mondays.');
    expect(cw.control.requests()).toEqual([]);
    // On the ticket page in her own browser: the client and Alex's note, from the team's answer,
    // with no request of hers to ConnectWise's API (the page itself is the PSA's).
    const danaTicket = await dana.context.newPage();
    await danaTicket.goto(ticketUrl);
    await expect(overlayOf(danaTicket).getByTestId('sidecar-state')).toHaveAttribute('data-state', 'ready');
    await expect(overlayOf(danaTicket).getByTestId('sidecar-note').first()).toContainText('Call Dana before rebooting the file server');
    expect(cw.control.requests().filter((request) => /\/apis\//i.test(request.path))).toEqual([]);

    // Dana edits the note: Alex's open page shows it within seconds.
    await danaSpace.getByTestId('space-note').getByRole('button', { name: 'Edit' }).click();
    await danaSpace.getByRole('form', { name: 'Edit note' }).getByLabel('Note').fill('Call Dana (ext. 214) before rebooting');
    await danaSpace.getByRole('form', { name: 'Edit note' }).getByRole('button', { name: 'Save' }).click();
    await expect(alexSpace.getByTestId('space-note')).toContainText('Call Dana (ext. 214) before rebooting', { timeout: 10_000 });
    await expect(alexSpace.getByTestId('space-note')).toContainText('Dana');

    // The server goes down; both edit the article and decide the client's match differently
    // (Alex first, Dana later); it comes back: both versions kept, and said.
    await server.stop();
    const otherSpace = (await alex.options.getByTestId('client-spaces').getByTestId('space-row').nth(1).getByRole('link').first().textContent())!;
    for (const [member, choice] of [
      [alex, 'Leave unmatched (data not imported)'],
      [dana, `Match to ${otherSpace}`],
    ] as const) {
      const matching = await openMatching(integrationCard(member.options));
      const select = matching.locator(`[data-testid="match-row"][data-company="${spaceName}"]`).getByLabel(`Client space for ${spaceName}`);
      await select.focus();
      await select.selectOption({ label: choice });
      await matching.getByRole('button', { name: 'Save 1 change' }).click();
      await expect(matching.getByTestId('matching-result')).toContainText(/matched|left unmatched/);
    }
    for (const [page, text] of [
      [alexSpace, 'Checked on Mondays and Thursdays (Alex).'],
      [danaSpace, 'Checked every weekday (Dana).'],
    ] as const) {
      const article = page.getByTestId('space-articles').getByTestId('article');
      await article.getByRole('button', { name: 'Edit' }).click();
      await page.getByTestId('space-articles').getByTestId('article-form').getByLabel(/^Text/).fill(text);
      await page.getByTestId('space-articles').getByTestId('article-form').getByRole('button', { name: 'Save article' }).click();
      await expect(article).toContainText(text);
    }
    await server.start();
    for (const page of [alexSpace, danaSpace]) {
      const article = page.getByTestId('space-articles').getByTestId('article');
      await expect(article.getByTestId('conflict-line')).toContainText(/Edited on two computers at once/, { timeout: 45_000 });
    }
    // The same winner on both, and the other version in its history.
    const winner = (await alexSpace.getByTestId('space-articles').getByTestId('article').textContent())!.includes('(Alex)') ? 'Alex' : 'Dana';
    const loserText = winner === 'Alex' ? 'Checked every weekday (Dana).' : 'Checked on Mondays and Thursdays (Alex).';
    await expect(danaSpace.getByTestId('space-articles').getByTestId('article')).toContainText(`(${winner})`);
    const alexArticle = alexSpace.getByTestId('space-articles').getByTestId('article');
    await alexArticle.getByTestId('conflict-line').getByRole('button', { name: 'History' }).click();
    await expect(alexArticle.getByTestId('history-entry').filter({ hasText: 'Kept from a conflict' })).toContainText(loserText);

    // The later decision (Dana's) on both, and the other one said beside it.
    for (const member of [alex, dana]) {
      const matchRow = integrationCard(member.options).getByTestId('matching').locator(`[data-testid="match-row"][data-company="${spaceName}"]`);
      await expect(matchRow.getByTestId('match-kept')).toContainText('Alex decided otherwise at the same time', { timeout: 45_000 });
      await expect(matchRow.getByTestId('match-space-link')).toHaveText(otherSpace);
    }

    // Dana is removed from the database's members: her next replication is refused, said, and her copy is read-only.
    await server.setMembers(DATABASE, ['alex']);
    await danaSpace.getByTestId('space-notes').getByLabel('New note').fill('Written as the door closed');
    await danaSpace.getByTestId('space-notes').getByRole('button', { name: 'Pin note' }).click();
    await expect(dana.options.getByTestId('team-state')).toContainText('Refused by the team server', { timeout: 30_000 });
    await expect(dana.options.getByTestId('team-state')).toContainText('no longer a member of “sidecar-team”');
    await danaSpace.getByTestId('space-notes').getByLabel('New note').fill('Another one');
    await danaSpace.getByTestId('space-notes').getByRole('button', { name: 'Pin note' }).click();
    await expect(
      danaSpace
        .getByTestId('space-notes')
        .getByText(/read-only/)
        .first(),
    ).toBeVisible();

    // Dana leaves the team: the team's documentation and the PSA it brought leave her browser.
    await dana.options.getByTestId('team').getByRole('button', { name: 'Leave team…' }).click();
    await dana.options
      .getByTestId('team')
      .getByRole('button', { name: /Leave and remove the team’s documentation here/ })
      .click();
    await expect(dana.options.getByTestId('team').getByLabel('Team passphrase')).toBeVisible();
    await expect(dana.options.getByTestId('integration')).toHaveCount(0);
    await danaSpace.reload();
    await expect(danaSpace.getByTestId('space-note')).toHaveCount(0);
  });

  test('a member whose worker the browser stopped catches up on its own: the team alarm wakes it and the live replication starts again', async () => {
    test.setTimeout(150_000);
    server = await startTeamServerWith(DATABASE, ['alex', 'dana']);
    const team = (username: string, password: string) => ({ serverUrl: server!.url, database: DATABASE, username, password, passphrase: PASSPHRASE });

    const alex = await profile();
    await setName(alex.options, 'Alex');
    const spaces = alex.options.getByTestId('client-spaces');
    await spaces.getByLabel('New client space').fill('Fabrikam');
    await spaces.getByRole('button', { name: 'Create client space' }).click();
    await joinTeam(alex.options, team('alex', 'alex-password'));
    await expect(alex.options.getByTestId('team-state')).toContainText('Up to date with the team.', { timeout: 20_000 });
    const dana = await profile();
    await joinTeam(dana.options, team('dana', 'dana-password'));
    const danaRow = dana.options.getByTestId('client-spaces').getByTestId('space-row').filter({ hasText: 'Fabrikam' });
    await expect(danaRow).toHaveCount(1, { timeout: 20_000 });
    const [danaSpace] = await Promise.all([dana.context.waitForEvent('page'), danaRow.getByRole('link', { name: 'Fabrikam', exact: true }).click()]);

    // The browser stops Dana's worker (as Chrome does to an idle one): its live replication dies with it.
    const cdp = await dana.context.newCDPSession(danaSpace);
    const lifecycle: { status: string; at: number }[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }: { versions: { runningStatus: string }[] }) => {
      for (const version of versions) lifecycle.push({ status: version.runningStatus, at: Date.now() });
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const stoppedAt = Date.now();

    // Alex writes; Dana's page asks her worker nothing (it reads IndexedDB), so only its alarm can wake it.
    const [alexSpace] = await Promise.all([alex.context.waitForEvent('page'), spaces.getByRole('link', { name: 'Fabrikam', exact: true }).click()]);
    await alexSpace.getByTestId('space-notes').getByLabel('New note').fill('Written while Dana’s worker was stopped');
    await alexSpace.getByTestId('space-notes').getByRole('button', { name: 'Pin note' }).click();
    await expect(alexSpace.getByTestId('space-note')).toHaveCount(1);
    await expect(danaSpace.getByTestId('space-note')).toContainText('Written while Dana’s worker was stopped', { timeout: 100_000 });
    expect(
      lifecycle.find((entry) => entry.status === 'stopped' && entry.at >= stoppedAt - 1000),
      JSON.stringify(lifecycle),
    ).toBeDefined();
  });

  test('one browser syncs each PSA for the team: Dana, given API keys, waits while Alex holds the lease, and takes over once his browser is gone', async () => {
    test.setTimeout(180_000);
    server = await startTeamServerWith(DATABASE, ['alex', 'dana']);
    const cw = await startEmulator({ psa: 'connectwise', preset: 'tiny' });
    closers.push(() => cw.close());
    const team = (username: string, password: string) => ({ serverUrl: server!.url, database: DATABASE, username, password, passphrase: PASSPHRASE });
    // The browser's schedule alarm, fired now (as hours passing would), in one profile's worker.
    const scheduledSync = async (context: BrowserContext) => {
      const worker = await serviceWorkerOf(context);
      await worker.evaluate(() =>
        (globalThis as unknown as { chrome: { alarms: { create(name: string, info: { when: number }): Promise<void> } } }).chrome.alarms.create(
          'sidecar-schedule',
          { when: Date.now() + 100 },
        ),
      );
    };
    const apiRequests = () => cw.control.requests().filter((request) => /\/apis\//i.test(request.path));

    const alex = await profile();
    await setName(alex.options, 'Alex');
    const alexCard = await connectwiseReady(alex.options, { domain: new URL(cw.baseUrl).host, ...cw.credentials.valid });
    await joinTeam(alex.options, team('alex', 'alex-password'));
    await expect(alex.options.getByTestId('team-state')).toContainText('Up to date with the team.', { timeout: 20_000 });
    // Alex's scheduled sync takes the lease.
    const alexRun = await alexCard.getByTestId('run-status').getAttribute('data-run');
    await scheduledSync(alex.context);
    await expect.poll(() => alexCard.getByTestId('run-status').getAttribute('data-run'), { timeout: 30_000 }).not.toBe(alexRun);
    await alex.options.reload();
    await expect(alex.options.getByTestId('team-leases')).toContainText('synced for the team by this browser', { timeout: 30_000 });

    // Dana joins and gives the team's ConnectWise her own API keys.
    const dana = await profile();
    await setName(dana.options, 'Dana');
    await joinTeam(dana.options, team('dana', 'dana-password'));
    const danaCard = dana.options.getByTestId('integration');
    await expect(danaCard.getByTestId('connection-status')).toContainText('From your team', { timeout: 20_000 });
    await (await cardMenuButton(danaCard, 'Edit')).click();
    const edit = danaCard.getByRole('form', { name: /^Edit / });
    for (const [name, value] of Object.entries(cw.credentials.valid)) await edit.locator(`input[name="${name}"]`).fill(value);
    await edit.getByRole('button', { name: 'Save and test connection' }).click();
    await expect(danaCard.getByTestId('connection-status')).toContainText('Connected to', { timeout: 30_000 });

    // While Alex holds the lease, Dana's scheduled sync does not call the PSA: the log says who syncs.
    cw.control.resetRequestLog();
    await scheduledSync(dana.context);
    await (await cardMenuButton(danaCard, 'Log')).click();
    await expect(danaCard.getByText(/Scheduled sync skipped: Alex’s browser syncs this PSA for the team/)).toBeVisible({ timeout: 20_000 });
    expect(apiRequests()).toEqual([]);

    // Alex's browser goes away; once his lease has expired, Dana's next scheduled sync takes it and syncs.
    await closers.splice(closers.indexOf(alex.close), 1)[0]!();
    await dana.options.waitForTimeout(32_000);
    const danaRun = await danaCard.getByTestId('run-status').getAttribute('data-run');
    await scheduledSync(dana.context);
    await expect.poll(() => danaCard.getByTestId('run-status').getAttribute('data-run'), { timeout: 30_000 }).not.toBe(danaRun);
    await expect.poll(() => danaCard.getByTestId('run-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
    expect(apiRequests().length).toBeGreaterThan(0);
    await dana.options.reload();
    await expect(dana.options.getByTestId('team-leases')).toContainText('synced for the team by this browser', { timeout: 30_000 });
  });
});

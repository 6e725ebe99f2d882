// Over 300 lines on purpose: the fault matrix: one row per fault, run against all three PSAs.
import { beforeEach, describe, expect, it } from 'vitest';
import type { PsaErrorCode } from '@/lib/psa/errors';
import { MAX_ATTEMPTS } from '@/lib/sync/engine';
import type { FaultSpec } from '../../emulator/framework/faults.ts';
import { companiesOnly, sortIds, without, type Emulator, type PsaCase, type Row } from '../../support/psa-case.ts';
import { ID, useSyncHarness, type SyncHarness } from '../../support/sync-harness.ts';

/**
 * Issue #6's fault matrix, shared by faults-connectwise/halo/bms.test.ts (the PSA cases are in
 * tests/support/psa-cases/, the harness in tests/support/sync-harness.ts): each fault is scripted
 * through the PSA's emulator and drives a real sync (SyncScheduler.requestSync + kick, the real
 * adapter, fake-indexeddb). Every row ends in one of:
 *   - a finished sync whose live records equal the emulator's;
 *   - a retryable failure: the run stays 'running' with `retryAt` (the alarm asked for) and an
 *     error naming the problem; when the alarm fires (retryAt set to the past) it finishes;
 *   - a non-retryable failure: the run is 'failed' with the message, nothing archived.
 * Bad records are set aside: a 'warn' log row names the record and the reason, the run counts
 * them as rejected, and the rest lands.
 *
 * What the engine guarantees about paging faults (a page repeating or skipping records):
 *   - a repeated record never creates a duplicate (upserts keyed on integration, entity, id);
 *   - ConnectWise pages by keyset (`id > last`): a record deleted between two page requests
 *     shifts nothing. HaloPSA and BMS page by number: the next page then skips one live record, and the pass,
 *     seeing the total move, archives nothing;
 *   - a record a pass skipped arrives with the next pass that reads the whole list: every sync
 *     for HaloPSA (no incremental lists), a manual sync (or the daily reconcile) for Kaseya BMS
 *     accounts and contacts; ConnectWise's reconcile (ids only) notices ids it lacks and reads the
 *     entity in full within the same run;
 *   - a pass whose page-number pages shifted (the list's total moved) archives nothing by absence;
 *   - a record set aside as invalid keeps its last good version.
 */

/** One injected transport or body fault, on the contact list in the middle of a sync. */
interface RetryRow {
  fault: string;
  spec(now: number): Omit<FaultSpec, 'path'>;
  code: PsaErrorCode;
  message(psa: PsaCase): RegExp;
  /** Seconds from the failure to retryAt: the engine's first backoff (30 s) or the server's Retry-After. */
  waitS: number;
}

const host = /127\.0\.0\.1:\d+/.source;
const RETRYABLE: RetryRow[] = [
  {
    fault: 'HTTP 500',
    spec: () => ({ status: 500 }),
    code: 'server',
    message: () => new RegExp(`${host} answered with a server error \\(HTTP 500\\)`),
    waitS: 30,
  },
  { fault: 'HTTP 502 (gateway)', spec: () => ({ status: 502, body: 'Bad Gateway' }), code: 'server', message: () => /server error \(HTTP 502\)/, waitS: 30 },
  { fault: 'HTTP 503', spec: () => ({ status: 503 }), code: 'server', message: () => /server error \(HTTP 503\)/, waitS: 30 },
  { fault: 'HTTP 503 with an HTML error page', spec: () => ({ malformed: 'html' }), code: 'server', message: () => /server error \(HTTP 503\)/, waitS: 30 },
  {
    fault: 'HTTP 429 with Retry-After: 120 (seconds)',
    spec: () => ({ status: 429, headers: { 'Retry-After': '120' }, body: { message: 'Too many requests' } }),
    code: 'rate-limited',
    message: () => new RegExp(`${host} is rate limiting requests; Sidecar will retry later`),
    waitS: 120,
  },
  {
    fault: 'HTTP 429 with Retry-After as an HTTP date (5 min)',
    spec: (now) => ({ status: 429, headers: { 'Retry-After': new Date(now + 300_000).toUTCString() } }),
    code: 'rate-limited',
    message: () => /rate limiting requests/,
    waitS: 300,
  },
  // No Retry-After: a minute (http.ts), longer than the engine's first backoff.
  { fault: 'HTTP 429 without Retry-After', spec: () => ({ status: 429 }), code: 'rate-limited', message: () => /rate limiting requests/, waitS: 60 },
  {
    fault: 'an answer slower than the timeout (2 s > 500 ms)',
    spec: () => ({ delayMs: 2_000 }),
    code: 'timeout',
    message: () => new RegExp(`${host} did not answer in time`),
    waitS: 30,
  },
  { fault: 'a hung connection (never answers)', spec: () => ({ hang: true }), code: 'timeout', message: () => /did not answer in time/, waitS: 30 },
  {
    fault: 'a dropped connection (reset, no answer)',
    spec: () => ({ reset: true }),
    code: 'unreachable',
    message: () => new RegExp(`Could not reach ${host}`),
    waitS: 30,
  },
  { fault: 'a truncated JSON body', spec: () => ({ malformed: 'truncated' }), code: 'bad-response', message: (psa) => psa.messages.notJson, waitS: 30 },
  { fault: 'a plain-text body with 200', spec: () => ({ malformed: 'non-json' }), code: 'bad-response', message: (psa) => psa.messages.notJson, waitS: 30 },
  {
    fault: 'an HTML page with 200 (proxy or login page)',
    spec: () => ({ malformed: 'html', status: 200 }),
    code: 'bad-response',
    message: (psa) => psa.messages.notJson,
    waitS: 30,
  },
  {
    fault: 'JSON that is not a list',
    spec: () => ({ transform: () => ({ message: 'Service is in maintenance mode' }) }),
    code: 'bad-response',
    message: (psa) => psa.messages.wrongShape,
    waitS: 30,
  },
];

/** One record of the contact page that breaks the schema; the rest of the page must land. */
interface BadRecordRow {
  record: string;
  corrupt(row: Row, psa: PsaCase): unknown;
  /** The id the rejection names, from the original id (undefined: none). */
  remoteId(originalId: string): string | undefined;
  reason(psa: PsaCase): RegExp;
}

const BAD_RECORDS: BadRecordRow[] = [
  {
    record: 'a contact whose company reference is a name (wrong type)',
    corrupt: (row, psa) => ({ ...row, [psa.contactCompanyField]: 'Contoso Ltd.' }),
    remoteId: (id) => id,
    reason: (psa) => new RegExp(`^${psa.contactCompanyField}: Invalid input: expected (number|object), received string$`),
  },
  {
    record: 'a contact whose id is a string (wrong type)',
    corrupt: (row) => ({ ...row, id: 'C-17' }),
    remoteId: () => 'C-17',
    reason: () => /^id: Invalid input: expected number, received string$/,
  },
  {
    record: 'a contact without an id',
    corrupt: (row) => Object.fromEntries(Object.entries(row).filter(([key]) => key !== 'id')),
    remoteId: () => undefined,
    reason: () => /^id: Invalid input: expected number, received undefined$/,
  },
  {
    record: 'a null row among the contacts',
    corrupt: () => null,
    remoteId: () => undefined,
    reason: () => /^record: Invalid input: expected object, received null$/,
  },
];

/** The least recently changed of some rows (the first when they carry no timestamp). */
function oldest<T>(rows: T[], updatedOf: (row: T) => string | undefined): T {
  return rows.reduce((best, row) => ((updatedOf(row) ?? '') < (updatedOf(best) ?? '') ? row : best));
}

export function faultMatrix(psa: PsaCase): void {
  describe(`${psa.name}: transport and body faults mid-sync end in a retry with a specific error, then a finished sync`, () => {
    const h = useSyncHarness(psa);
    beforeEach(() => h.syncAndMatch());

    it.each(RETRYABLE)('$fault on the contact list', async (row) => {
      h.emu.injectFault({ path: psa.lists.contact, ...row.spec(Date.now()) });
      const { runId } = await h.scheduler.requestSync(ID, 'manual');
      const before = Date.now();
      await h.scheduler.kick();
      const after = Date.now();

      const waiting = (await h.db.runs.get(runId))!;
      expect(waiting).toMatchObject({ status: 'running', attempts: 1, error: { code: row.code, message: expect.stringMatching(row.message(psa)) } });
      // Stopped where the fault was: the companies before it are committed.
      expect(waiting.steps[waiting.stepIndex]?.entity).toBe('contact');
      expect(waiting.counts.company?.fetched).toBeGreaterThan(0);
      expect(waiting.retryAt).toBeGreaterThanOrEqual(before + row.waitS * 1000 - 1500);
      expect(waiting.retryAt).toBeLessThanOrEqual(after + row.waitS * 1000 + 1500);
      expect(h.wakes.at(-1)).toBe(waiting.retryAt); // the alarm is set for it
      const warnings = (await h.logOf(runId)).filter((entry) => entry.level === 'warn').map((entry) => entry.message);
      const reported = row.message(psa).source.replace(/^\^/, '').replace(/\$$/, '');
      expect(warnings).toEqual([expect.stringMatching(new RegExp(`${reported}.* Retrying at .+ \\(attempt 2 of ${MAX_ATTEMPTS}\\)\\.$`))]);

      const done = await h.alarm(runId);
      expect(done.status, done.error?.message).toBe('succeeded');
      expect(done.error).toBeUndefined();
      expect(await h.local()).toEqual(h.emu.truth());
    });

    it(`a fault that persists: ${MAX_ATTEMPTS} attempts, then the run fails with the message`, async () => {
      h.emu.injectFault({ path: psa.lists.contact, status: 503, times: Infinity });
      const before = await h.local();
      let run = await h.sync();
      for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
        expect(run).toMatchObject({ status: 'running', attempts: attempt - 1 });
        run = await h.alarm(run.id);
      }
      expect(run).toMatchObject({
        status: 'failed',
        attempts: MAX_ATTEMPTS,
        error: { code: 'server', message: expect.stringMatching(/server error \(HTTP 503\)/) },
      });
      expect(run.retryAt).toBeUndefined();
      expect((await h.logOf(run.id)).filter((entry) => entry.level === 'error').map((entry) => entry.message)).toEqual([
        expect.stringMatching(/^Sync stopped: .*HTTP 503/),
      ]);
      expect(await h.local()).toEqual(before); // nothing archived
    });
  });

  describe(`${psa.name}: the HTTP client's own retry (retries: 1) absorbs a single fault within the slice`, () => {
    const h = useSyncHarness(psa, { adapter: { retries: 1, timeoutMs: 500 } });
    beforeEach(() => h.syncAndMatch());

    it.each([
      { fault: 'HTTP 503', spec: { status: 503 } },
      { fault: 'HTTP 429 with Retry-After: 0', spec: { status: 429, headers: { 'Retry-After': '0' } } },
    ])('$fault: the run never waits', async ({ spec }) => {
      h.emu.injectFault({ path: psa.lists.contact, ...spec });
      const run = await h.synced();
      expect(run.attempts).toBe(0);
      expect(h.wakes).toEqual([]);
      expect(
        h.emu
          .requests()
          .filter((request) => psa.lists.contact.test(request.path))
          .map((request) => request.status)
          .slice(0, 2),
      ).toEqual([spec.status, 200]);
      expect(await h.local()).toEqual(h.emu.truth());
    });
  });

  describe(`${psa.name}: non-retryable failures mid-sync stop the run with the message`, () => {
    const h = useSyncHarness(psa);
    beforeEach(() => h.syncAndMatch());

    it.each([
      {
        fault: 'credentials revoked',
        code: 'auth',
        spec: (emu: Emulator): FaultSpec => ({ path: psa.lists.contact, effect: () => emu.revokeCredentials() }),
        message: () => psa.messages.revoked,
      },
      {
        fault: 'permission withdrawn (403)',
        code: 'permission',
        spec: (): FaultSpec => ({ path: psa.lists.contact, status: 403, body: { message: 'Access denied.' } }),
        message: () => psa.messages.denied,
      },
    ])('$fault', async ({ spec, code, message }) => {
      const before = await h.local();
      h.emu.injectFault(spec(h.emu));
      const run = await h.sync();
      expect(run).toMatchObject({ status: 'failed', attempts: 1, finishedAt: expect.any(Number), error: { code, message: expect.stringMatching(message()) } });
      expect(run.retryAt).toBeUndefined();
      expect(run.steps[run.stepIndex]?.entity).toBe('contact');
      expect(h.wakes).toEqual([]); // no alarm: it needs the user
      const errors = (await h.logOf(run.id)).filter((entry) => entry.level === 'error').map((entry) => entry.message);
      expect(errors).toEqual([`Sync stopped: ${run.error!.message}`]);
      expect(await h.local()).toEqual(before); // nothing archived, nothing half-written
      // The failed run does not block the next one.
      expect((await h.scheduler.requestSync(ID, 'manual')).alreadyRunning).toBe(false);
    });
  });

  describe(`${psa.name}: records that break the schema are set aside and listed, the rest lands`, () => {
    const h = useSyncHarness(psa);
    beforeEach(() => h.syncAndMatch());

    it.each(BAD_RECORDS)('$record', async (row) => {
      let originalId = '';
      h.emu.injectFault({
        path: psa.lists.contact,
        transform: (body) => {
          const rows = psa.rows(body);
          originalId = String(rows[0]!.id);
          return psa.withRows(body, [row.corrupt(rows[0]!, psa), ...rows.slice(1)]);
        },
      });
      const run = await h.synced();
      expect(originalId).not.toBe('');
      expect(run.counts.contact).toMatchObject({ rejected: 1 });
      const remoteId = row.remoteId(originalId);
      const warnings = (await h.logOf(run.id)).filter((entry) => entry.level === 'warn');
      expect(warnings).toEqual([
        expect.objectContaining({ entity: 'contact', ...(remoteId ? { remoteId } : {}), message: expect.stringMatching(/^Skipped contact /) }),
      ]);
      const prefix = `Skipped contact ${remoteId ?? '(no id)'}: `;
      expect(warnings[0]!.message.startsWith(prefix)).toBe(true);
      expect(warnings[0]!.message.slice(prefix.length)).toMatch(row.reason(psa));
      expect((await h.logOf(run.id)).at(-1)?.message).toMatch(/contact: \d+ written, 0 archived, 1 skipped/);
      expect(await h.local()).toEqual(without(h.emu.truth(), 'contact', originalId));
    });

    it('a configuration whose type the PSA never documented (unknown enum value) is kept, with the type as sent', async () => {
      let remoteId = '';
      h.emu.injectFault({
        path: psa.lists.configuration,
        transform: (body) => {
          const first = psa.rows(body)[0]!;
          remoteId = String(first.id);
          psa.setUnknownType(first, 'Quantum Computer');
          return body;
        },
      });
      const run = await h.synced();
      expect(run.counts.configuration?.rejected).toBe(0);
      expect((await h.record('configuration', remoteId))?.data).toMatchObject({ typeName: 'Quantum Computer' });
      expect(await h.local()).toEqual(h.emu.truth());
    });

    it('a stored contact whose new version breaks the schema keeps its last good version (set aside, not archived as deleted)', async () => {
      await h.synced();
      const [contactId] = await h.liveIds('contact');
      const stored = (await h.record('contact', contactId!))!;
      h.emu.renameContact(contactId!, 'Changed In PSA');
      h.emu.injectFault({
        path: psa.lists.contact,
        times: Infinity,
        transform: (body) =>
          psa.withRows(
            body,
            psa.rows(body).map((row) => (String(row.id) === contactId ? { ...row, [psa.contactCompanyField]: 'Contoso Ltd.' } : row)),
          ),
      });
      const run = await h.synced();
      expect(run.counts.contact?.rejected).toBeGreaterThanOrEqual(1);
      expect((await h.logOf(run.id)).some((entry) => entry.level === 'warn' && entry.remoteId === contactId)).toBe(true);
      const kept = await h.record('contact', contactId!);
      expect(kept?.archivedAt).toBeUndefined();
      expect(kept?.data).toEqual(stored.data);
    });
  });

  describe(`${psa.name}: a page that repeats or skips records`, () => {
    const h = useSyncHarness(psa);
    const pageOne = { path: psa.lists.company, query: psa.companyPage.first };
    const pageTwo = { path: psa.lists.company, query: psa.companyPage.second };

    it('the second page repeats the last record of the first: no duplicate, every record lands', async () => {
      h.emu.addCompanies(psa.pageSize); // the company list now spans two pages
      let repeated: Row | undefined;
      h.emu.injectFault({ ...pageOne, transform: (body) => ((repeated = psa.rows(body).at(-1)), body) });
      h.emu.injectFault({ ...pageTwo, transform: (body) => psa.withRows(body, [repeated, ...psa.rows(body)]) });
      const run = await h.synced();
      expect(repeated).toBeDefined();
      const stored = await h.db.records.filter((row) => row.entity === 'company').count();
      expect(stored).toBeGreaterThan(psa.pageSize);
      expect(run.counts.company?.fetched).toBe(stored + 1); // read twice, stored once
      expect(await h.local()).toEqual(companiesOnly(h.emu.truth()));
    });

    it('a record the server left out of a page (first read) arrives with the next manual sync', async () => {
      let skipped = '';
      // The least recently changed record: an incremental pass (ConnectWise, BMS) does not re-read it.
      h.emu.injectFault({
        ...pageOne,
        transform: (body) => {
          const rows = psa.rows(body);
          skipped = String(oldest(rows, psa.updatedOf).id);
          return psa.withRows(
            body,
            rows.filter((row) => String(row.id) !== skipped),
          );
        },
      });
      await h.synced();
      expect(await h.record('company', skipped)).toBeUndefined();
      await h.synced('manual');
      expect(await h.record('company', skipped)).toBeDefined();
      expect(await h.local()).toEqual(companiesOnly(h.emu.truth()));
    });

    it('a stored record the server left out of every page of a manual sync is back after the next manual sync', async () => {
      await h.synced();
      const live = (await h.db.records.filter((row) => row.entity === 'company').toArray()).filter((row) => row.archivedAt === undefined);
      const skipped = oldest(live, (row) => row.updatedAt).remoteId;
      h.emu.injectFault({
        path: psa.lists.company,
        times: Infinity,
        transform: (body) =>
          psa.withRows(
            body,
            psa.rows(body).filter((row) => String(row.id) !== skipped),
          ),
      });
      await h.synced('manual');
      // Not seen by a complete pass: archived as deleted (the engine cannot tell it from a deletion).
      expect((await h.record('company', skipped))?.archivedReason).toBe('deleted');
      h.emu.clearFaults();
      await h.synced('manual');
      expect(await h.local()).toEqual(companiesOnly(h.emu.truth()));
    });

    describe('a company deleted between two page requests', () => {
      /** Deletes the first company of page one when page two is asked for; returns the first company of page two. */
      async function deleteBetweenPages() {
        h.emu.addCompanies(psa.pageSize);
        await h.synced();
        const before = await h.liveIds('company');
        // A change a year later moves incremental cursors (ConnectWise, BMS) past the added companies,
        // so only the manual sync's full pass reads them (an incremental re-read would hide a skip).
        h.emu.setNow(Date.now() + 365 * 24 * 3600_000);
        h.emu.renameCompany(before.at(-1)!, 'Changed A Year Later');
        h.emu.setNow(null);
        await h.synced('schedule');
        const firstOfPageTwo = sortIds((await h.db.records.filter((row) => row.entity === 'company').toArray()).map((row) => row.remoteId))[psa.pageSize]!;
        const deleted = before[0]!;
        h.emu.injectFault({ ...pageTwo, effect: () => h.emu.removeCompany(deleted) });
        const run = await h.synced('manual');
        expect(h.emu.truth().company).not.toContain(deleted); // it happened during the pass
        return { run, deleted, firstOfPageTwo };
      }

      it('the next manual sync leaves Sidecar equal to the PSA (no duplicate, nothing missing)', async () => {
        await deleteBetweenPages();
        await h.synced('manual');
        expect(await h.local()).toEqual(companiesOnly(h.emu.truth()));
      });

      it('the record that shifted onto page one is not archived as deleted', async () => {
        const { firstOfPageTwo } = await deleteBetweenPages();
        expect((await h.record('company', firstOfPageTwo))?.archivedAt).toBeUndefined();
      });
    });
  });
}

/**
 * Token auth (HaloPSA, BMS): the access token expires mid-sync while renewing it answers 503
 * (`tokenOutage`); the run waits with a retry, and finishes when the alarm fires.
 */
export async function expectTokenOutageRetried(h: SyncHarness, tokenOutage: FaultSpec): Promise<void> {
  await h.syncAndMatch();
  h.emu.injectFault({ path: h.psa.lists.contact, effect: () => h.emu.expireTokens!() });
  h.emu.injectFault(tokenOutage);
  const waiting = await h.sync();
  expect(waiting).toMatchObject({ status: 'running', attempts: 1, error: { code: 'server', message: expect.stringMatching(/server error \(HTTP 503\)/) } });
  expect(waiting.retryAt).toBeGreaterThan(Date.now());
  const done = await h.alarm(waiting.id);
  expect(done.status, done.error?.message).toBe('succeeded');
  expect(await h.local()).toEqual(h.emu.truth());
}

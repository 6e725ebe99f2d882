import type { OutboxTicketRow, SidecarDb } from '../db/schema';
import { isPsaError } from '../psa/errors';
import type { CreatedTicket, TicketWriter } from '../psa/ticket-writer';

/**
 * The outbox (#16): tickets wait here until the PSA has them. Never lost: a ticket is stored before
 * any request. Never twice: each attempt is counted (committed) before its request, and an attempt
 * that follows another looks for the earlier one's ticket by the draft's marker before creating it,
 * so neither a timeout after the PSA created it nor a worker stopped mid-request makes a second one.
 * One sender at a time (a Web Lock across the extension's contexts).
 */

export interface OutboxDeps {
  db: SidecarDb;
  writerFor(integrationId: string): Promise<TicketWriter>;
  /** Ask to be woken (an alarm) to send what waits. */
  wakeAt(at: number): void;
  now?: () => number;
}

/** Waits between attempts: 30 s, 1, 2, 5 minutes, then every 15 minutes. */
const BACKOFF_MS = [30_000, 60_000, 120_000, 300_000, 900_000];
export const backoffAfter = (attempts: number) => BACKOFF_MS[Math.min(Math.max(attempts - 1, 0), BACKOFF_MS.length - 1)]!;

/** A failure worth trying again on its own (the PSA did not answer, or not yet usefully). */
function retryable(error: unknown): boolean {
  if (!isPsaError(error)) return true; // a network error ky did not map: the PSA may not have been reached
  // A 4xx other than a timeout or rate limit is the PSA refusing this ticket: sending it again changes nothing.
  const refused = error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
  if (refused) return false;
  return error.retryable || error.code === 'locked';
}

function describe(error: unknown): { code: string; message: string } {
  if (isPsaError(error)) return { code: error.code, message: error.message };
  return { code: 'unreachable', message: error instanceof Error ? error.message : String(error) };
}

export async function enqueueTicket(db: SidecarDb, row: Omit<OutboxTicketRow, 'state' | 'attempts'>): Promise<OutboxTicketRow> {
  const stored: OutboxTicketRow = { ...row, state: 'waiting', attempts: 0 };
  await db.ticketOutbox.add(stored);
  return stored;
}

const LOCK = 'sidecar-ticket-outbox';
let inProcess: Promise<void> | undefined;

/** Sends every ticket that is due; resolves when none is left to send now. */
export function sendDue(deps: OutboxDeps): Promise<void> {
  const run = () => (globalThis.navigator?.locks ? navigator.locks.request(LOCK, () => sendAll(deps)) : sendAll(deps));
  // Single flight within this context; the lock covers the others (an offscreen document, a second worker).
  inProcess ??= run().finally(() => {
    inProcess = undefined;
  });
  return inProcess;
}

async function sendAll(deps: OutboxDeps): Promise<void> {
  const now = deps.now ?? Date.now;
  const pending = await deps.db.ticketOutbox.where('state').anyOf('waiting', 'sending').sortBy('createdAt');
  let nextWake: number | undefined;
  const off = new Set((await deps.db.integrations.toArray()).filter((integration) => integration.disabled).map((integration) => integration.id));
  for (const row of pending) {
    // A turned-off integration's tickets wait until it is turned on (that sends them).
    if (off.has(row.integrationId)) continue;
    if (row.nextAttemptAt !== undefined && row.nextAttemptAt > now()) {
      nextWake = Math.min(nextWake ?? Infinity, row.nextAttemptAt);
      continue;
    }
    const retryAt = await sendOne(deps, row);
    if (retryAt !== undefined) nextWake = Math.min(nextWake ?? Infinity, retryAt);
  }
  if (nextWake !== undefined) deps.wakeAt(nextWake);
}

/** One attempt; returns when to try again if it should be. */
async function sendOne(deps: OutboxDeps, row: OutboxTicketRow): Promise<number | undefined> {
  const now = deps.now ?? Date.now;
  const { db } = deps;
  // Counted before the request: a stop mid-request leaves proof that the PSA may have the ticket.
  const attempts = row.attempts + 1;
  await db.ticketOutbox.update(row.id, { state: 'sending', attempts, lastAttemptAt: now() });
  try {
    const writer = await deps.writerFor(row.integrationId);
    let ticket: CreatedTicket | null = null;
    if (row.attempts > 0) ticket = await writer.findByMarker(row.draft);
    ticket ??= await writer.create(row.draft);
    await db.ticketOutbox.update(row.id, { state: 'created', ticket, sentAt: now(), lastError: undefined, nextAttemptAt: undefined });
    return undefined;
  } catch (error) {
    if (retryable(error)) {
      const retryAfter = isPsaError(error) && error.retryAt ? error.retryAt : now() + backoffAfter(attempts);
      await db.ticketOutbox.update(row.id, { state: 'waiting', nextAttemptAt: retryAfter, lastError: describe(error) });
      return retryAfter;
    }
    // The PSA refused it (a rule it enforces, rights, keys): a person must change something first.
    await db.ticketOutbox.update(row.id, { state: 'failed', lastError: describe(error), nextAttemptAt: undefined });
    return undefined;
  }
}

/** "Try again" on a waiting or failed ticket: due now (the marker check still comes first after an attempt). */
export async function retryNow(db: SidecarDb, id: string): Promise<boolean> {
  return db.transaction('rw', db.ticketOutbox, async () => {
    const row = await db.ticketOutbox.get(id);
    if (!row || (row.state !== 'waiting' && row.state !== 'failed')) return false;
    await db.ticketOutbox.update(id, { state: 'waiting', nextAttemptAt: undefined });
    return true;
  });
}

/**
 * "Discard" a ticket that is not being sent. One whose earlier attempt may have reached the PSA is
 * discarded too: the person was told so (the popup shows the attempts), and the PSA is the truth.
 */
export async function discard(db: SidecarDb, id: string): Promise<boolean> {
  return db.transaction('rw', db.ticketOutbox, async () => {
    const row = await db.ticketOutbox.get(id);
    if (!row || row.state === 'sending' || row.state === 'created') return false;
    await db.ticketOutbox.delete(id);
    return true;
  });
}

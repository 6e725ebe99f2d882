import type { SidecarDb } from '../db/schema';
import { isPsaError } from '../psa/errors';
import type { TicketInfo } from '../psa/types';

/**
 * Ticket answers kept in memory for 10 minutes, failures included, and one request in flight per
 * ticket: flipping between tickets costs no API calls, and a page that keeps navigating itself to
 * the same tickets (pushState, hash changes) costs at most one PSA lookup per ticket per window.
 */
export class TicketCache {
  private readonly entries = new Map<string, { at: number; answer: Promise<TicketInfo> }>();
  private readonly ttlMs: number;
  constructor(ttlMs = 10 * 60_000) {
    this.ttlMs = ttlMs;
  }
  async get(key: string, load: () => Promise<TicketInfo>, now = Date.now()): Promise<TicketInfo> {
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.answer;
    const answer = load();
    answer.catch(() => undefined); // kept as the answer; each caller sees the failure
    this.entries.set(key, { at: now, answer });
    this.forgetExpired(now);
    return answer;
  }
  /** Whether a lookup for this key would be answered without asking the PSA. */
  has(key: string, now = Date.now()): boolean {
    const hit = this.entries.get(key);
    return !!hit && now - hit.at < this.ttlMs;
  }
  private forgetExpired(now: number) {
    if (this.entries.size < 1000) return;
    for (const [key, entry] of this.entries) if (now - entry.at >= this.ttlMs) this.entries.delete(key);
  }
}

/** Tickets remembered on disk for when the PSA cannot be reached; the oldest go first. */
export const MAX_STORED_TICKETS = 2000;

export interface TicketLookup {
  info: TicketInfo;
  /** Set when the PSA could not be asked and a stored answer is shown instead. */
  cachedAt?: number;
  /** Why the PSA could not be asked. */
  offlineReason?: string;
  /** The company (and contact) were picked by the names the page shows. */
  fromPage?: boolean;
}

/**
 * The ticket's company, contact, configurations and agreement: from memory, else the PSA (then
 * stored), else, when the PSA cannot be reached, the last stored answer. "Not found" is an
 * answer, not an outage: it is never replaced by a stored one.
 */
export async function lookupTicket(
  db: SidecarDb,
  cache: TicketCache,
  integrationId: string,
  ticketId: string,
  load: () => Promise<TicketInfo>,
  now: number,
): Promise<TicketLookup> {
  try {
    const info = await cache.get(`${integrationId}:${ticketId}`, load, now);
    await remember(db, integrationId, ticketId, info, now);
    return { info };
  } catch (error) {
    if (isPsaError(error) && (error.code === 'not-found' || error.code === 'auth' || error.code === 'permission')) throw error;
    const stored = await db.tickets.get([integrationId, ticketId]);
    if (!stored) throw error;
    return { info: stored.info, cachedAt: stored.fetchedAt, offlineReason: error instanceof Error ? error.message : String(error) };
  }
}

async function remember(db: SidecarDb, integrationId: string, ticketId: string, info: TicketInfo, now: number): Promise<void> {
  const previous = await db.tickets.get([integrationId, ticketId]);
  // Within the memory window the same answer is already on disk.
  if (previous && now - previous.fetchedAt < 60_000) return;
  await db.tickets.put({ integrationId, ticketId, info, fetchedAt: now });
  const excess = (await db.tickets.count()) - MAX_STORED_TICKETS;
  if (excess > 0) await db.tickets.orderBy('fetchedAt').limit(excess).delete();
}

/**
 * When the PSA cannot say which company a ticket belongs to, the page's own company name picks
 * it, but only when exactly one live company of this PSA has that name; the contact likewise
 * among that company's contacts. Anything ambiguous is not guessed.
 */
export async function ticketFromPage(
  db: SidecarDb,
  integrationId: string,
  ticketId: string,
  hints: { companyName?: string; contactName?: string } | undefined,
  error: unknown,
): Promise<TicketLookup | undefined> {
  if (!hints?.companyName) return undefined;
  const byName = (entity: 'company' | 'contact', name: string) =>
    db.records
      .where('[integrationId+entity+sortName]')
      .equals([integrationId, entity, name.trim().toLowerCase()])
      .filter((row) => row.archivedAt === undefined)
      .toArray();
  const companies = await byName('company', hints.companyName);
  if (companies.length !== 1) return undefined;
  const company = companies[0]!;
  const contacts = hints.contactName ? (await byName('contact', hints.contactName)).filter((row) => row.companyRemoteId === company.remoteId) : [];
  return {
    info: { ticketId, companyRemoteId: company.remoteId, ...(contacts.length === 1 ? { contactRemoteId: contacts[0]!.remoteId } : {}) },
    offlineReason: error instanceof Error ? error.message : String(error),
    fromPage: true,
  };
}

const NO_KEYS = 'This browser has no API keys for this PSA: your team’s last answer for this ticket is shown.';

/**
 * A ticket on a PSA the team brought (#15), for a member without its API keys: the answer a
 * teammate's lookup stored (shared with the team), else the company and contact the page names.
 */
export async function teamTicket(
  db: SidecarDb,
  integrationId: string,
  ticketId: string,
  hints: { companyName?: string; contactName?: string } | undefined,
): Promise<TicketLookup | undefined> {
  const stored = await db.tickets.get([integrationId, ticketId]);
  if (stored) return { info: stored.info, cachedAt: stored.fetchedAt, offlineReason: NO_KEYS };
  return ticketFromPage(db, integrationId, ticketId, hints, new Error('This browser has no API keys for this PSA.'));
}

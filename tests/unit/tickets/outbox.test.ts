import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SidecarDb } from '@/lib/db/schema';
import { PsaError } from '@/lib/psa/errors';
import type { CreatedTicket, TicketDraft, TicketWriter } from '@/lib/psa/ticket-writer';
import { discard, enqueueTicket, retryNow, sendDue } from '@/lib/tickets/outbox';

const draft: TicketDraft = {
  companyRemoteId: '100',
  configurationRemoteIds: [],
  title: 'Printer offline',
  details: 'It is off\n\n[Sidecar ref sc-1]',
  fields: {},
  openDate: '2026-12-06T10:00:00.000Z',
  marker: 'sc-1',
};

/** A PSA that keeps what it created, and can fail a create before or after doing the work. */
class FakePsa implements TicketWriter {
  created: { marker: string; id: string }[] = [];
  creates = 0;
  finds = 0;
  next: 'ok' | 'down' | 'lost-answer' | 'refuse' = 'ok';
  formChoices = async () => ({ fields: [], choices: {} });
  validate = () => ({});
  preview = (d: TicketDraft) => ({ method: 'POST' as const, path: 'tickets', body: d });
  async create(d: TicketDraft): Promise<CreatedTicket> {
    this.creates++;
    if (this.next === 'down') throw new PsaError('unreachable', 'Could not reach the PSA.');
    if (this.next === 'refuse') throw new PsaError('bad-response', 'Board is required.', { status: 400 });
    const id = String(500 + this.created.length);
    this.created.push({ marker: d.marker, id });
    if (this.next === 'lost-answer') throw new PsaError('timeout', 'The PSA did not answer in time.');
    return { ticketId: id };
  }
  async findByMarker(d: TicketDraft): Promise<CreatedTicket | null> {
    this.finds++;
    if (this.next === 'down') throw new PsaError('unreachable', 'Could not reach the PSA.');
    const hit = this.created.find((ticket) => ticket.marker === d.marker);
    return hit ? { ticketId: hit.id } : null;
  }
}

describe('ticket outbox', () => {
  let db: SidecarDb;
  let psa: FakePsa;
  let clock: number;
  let wakes: number[];
  const deps = () => ({ db, writerFor: async () => psa, wakeAt: (at: number) => void wakes.push(at), now: () => clock });
  const add = () =>
    enqueueTicket(db, { id: crypto.randomUUID(), integrationId: 'i1', companyRemoteId: '100', companyName: 'Contoso', draft, createdAt: clock });

  beforeEach(() => {
    db = new SidecarDb(`outbox-${Math.random()}`);
    psa = new FakePsa();
    clock = 1_000_000;
    wakes = [];
  });
  afterEach(() => db.delete());

  it('sends a waiting ticket once and records what the PSA answered', async () => {
    const row = await add();
    await sendDue(deps());
    expect(await db.ticketOutbox.get(row.id)).toMatchObject({ state: 'created', ticket: { ticketId: '500' }, attempts: 1 });
    await sendDue(deps());
    expect(psa.creates).toBe(1);
    expect(psa.finds).toBe(0); // a first attempt has nothing to look for
  });

  it('keeps a ticket while the PSA is down and sends it when it is back', async () => {
    const row = await add();
    psa.next = 'down';
    await sendDue(deps());
    const waiting = await db.ticketOutbox.get(row.id);
    expect(waiting).toMatchObject({ state: 'waiting', attempts: 1, lastError: { code: 'unreachable' } });
    expect(wakes).toEqual([waiting!.nextAttemptAt]);
    // Not due yet: nothing is sent.
    psa.next = 'ok';
    await sendDue(deps());
    expect(psa.creates).toBe(1);
    clock = waiting!.nextAttemptAt!;
    await sendDue(deps());
    expect(await db.ticketOutbox.get(row.id)).toMatchObject({ state: 'created', ticket: { ticketId: '500' } });
    expect(psa.created).toHaveLength(1);
  });

  it('does not create a ticket twice when the answer to the first create was lost', async () => {
    const row = await add();
    psa.next = 'lost-answer';
    await sendDue(deps());
    expect(psa.created).toHaveLength(1);
    expect((await db.ticketOutbox.get(row.id))?.state).toBe('waiting');
    psa.next = 'ok';
    await retryNow(db, row.id);
    await sendDue(deps());
    expect(psa.finds).toBe(1);
    expect(psa.created).toHaveLength(1);
    expect(await db.ticketOutbox.get(row.id)).toMatchObject({ state: 'created', ticket: { ticketId: '500' } });
  });

  it('looks first when a stopped worker left an attempt in flight', async () => {
    const row = await add();
    // The worker stopped after counting the attempt and after the PSA created the ticket.
    await db.ticketOutbox.update(row.id, { state: 'sending', attempts: 1 });
    psa.created.push({ marker: 'sc-1', id: '777' });
    await sendDue(deps());
    expect(psa.creates).toBe(0);
    expect(await db.ticketOutbox.get(row.id)).toMatchObject({ state: 'created', ticket: { ticketId: '777' }, attempts: 2 });
  });

  it('holds a turned-off integration’s tickets until it is turned on', async () => {
    await db.integrations.add({ id: 'i1', psa: 'connectwise', label: 'CW', settings: {}, uiOrigin: 'https://x', origins: [], createdAt: 0, disabled: true });
    const row = await add();
    await sendDue(deps());
    expect(psa.creates).toBe(0);
    expect((await db.ticketOutbox.get(row.id))?.state).toBe('waiting');
    await db.integrations.update('i1', { disabled: undefined });
    await sendDue(deps());
    expect((await db.ticketOutbox.get(row.id))?.state).toBe('created');
  });

  it('stops at a refusal until a person acts, and lets them retry or discard', async () => {
    const row = await add();
    psa.next = 'refuse';
    await sendDue(deps());
    expect(await db.ticketOutbox.get(row.id)).toMatchObject({ state: 'failed', lastError: { message: 'Board is required.' } });
    expect(wakes).toEqual([]);
    await sendDue(deps());
    expect(psa.creates).toBe(1);
    expect(await retryNow(db, row.id)).toBe(true);
    psa.next = 'ok';
    await sendDue(deps());
    expect((await db.ticketOutbox.get(row.id))?.state).toBe('created');
    expect(await discard(db, row.id)).toBe(false); // a created ticket stays on record
    const other = await add();
    expect(await discard(db, other.id)).toBe(true);
    expect(await db.ticketOutbox.get(other.id)).toBeUndefined();
  });
});

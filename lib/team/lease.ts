import { z } from 'zod';
import { couchErrorSchema, TeamConnection, TeamServerError, type TeamRequestOptions } from './connection';
import type { TeamSettings } from './settings';

/**
 * The sync lease (#15): per integration (PSA tenant), one browser of the team holds a lease, and it
 * alone calls the PSA for the scheduled sync. The lease is a document `lease:<source>` in the team
 * database, written over HTTP straight to the server, never through the local replica (where every
 * write succeeds, so two browsers could both "win"). Every write is a PUT carrying the `_rev` just
 * read (none for a new lease), so CouchDB's revision check makes it a compare-and-swap: of two
 * browsers writing on the same revision, one gets 201 and the other 409. A 409 means someone
 * wrote meanwhile: read again once and decide again, then answer what is there.
 *
 * The holder renews the lease (every LEASE_RENEW_EVERY_MS while it syncs) by moving `expiresAt`
 * on; when it goes away (browser closed, worker stopped, left the team), another member with the
 * PSA's credentials takes the lease once `expiresAt` has passed.
 *
 * Times: every time here is the caller's `now` (default Date.now()), the clock of the browser
 * writing or reading, and browsers' clocks differ. A browser whose clock runs ahead sees others'
 * leases expire early, so the TTL (10 minutes) is kept far above any plausible skew (a clock a
 * minute off is already rare), and renewals every ttl/3 leave two missed renewals of slack.
 * The lease makes a double sync unlikely, not impossible (a clock hours off, a holder frozen past
 * its expiry then resuming before it renews): the sync itself must stay safe to run twice.
 *
 * Ids: `lease:` + the source as it is (PSA tenant keys such as
 * `connectwise:na.myconnectwise.net:acme`, with ':' and '/'), not hashed, so a CouchDB admin can
 * read whose lease a document is. CouchDB ids may hold any characters (only a leading `_` is
 * reserved, and `lease:` comes first) and have no length limit by default
 * (`max_document_id_length = infinity`); the id is one URL path segment (encodeURIComponent,
 * '/' included). Sources are capped at LEASE_SOURCE_MAX characters so the request line stays
 * short for any proxy in front of CouchDB.
 */

export const LEASE_ID_PREFIX = 'lease:';
/** The e2e build's shorter lease (wxt.config.ts), so a takeover after expiry fits a test; absent elsewhere. */
declare const __SIDECAR_LEASE_TTL_MS__: number | undefined;
/** How long a lease lasts without renewal. Far above plausible clock skew between browsers. */
export const LEASE_TTL_MS = typeof __SIDECAR_LEASE_TTL_MS__ === 'number' ? __SIDECAR_LEASE_TTL_MS__ : 10 * 60_000;
/**
 * Whether a lease taken for a scheduled sync also covers the time until the next one (the holder
 * keeps its turn across the schedule's period instead of every member's alarm racing for it, and
 * resyncs incrementally). Off in the e2e build, whose short lease shows a takeover in a test.
 */
export const LEASE_HOLDS_THE_PERIOD = typeof __SIDECAR_LEASE_TTL_MS__ !== 'number';
/** How often the holder renews while it syncs: a third of the TTL. */
export const LEASE_RENEW_EVERY_MS = LEASE_TTL_MS / 3;
export const LEASE_SOURCE_MAX = 500;

export const leaseHolderSchema = z.looseObject({ installId: z.string().min(1).max(100), name: z.string().max(200) });

const time = z.number().int().nonnegative();

export const leaseDocSchema = z
  .looseObject({
    _id: z.string().startsWith(LEASE_ID_PREFIX),
    _rev: z.string().optional(),
    kind: z.literal('lease'),
    schema: z.literal(1),
    /** The PSA tenant key the lease is for (the id without its prefix). */
    source: z.string().min(1).max(LEASE_SOURCE_MAX),
    holder: leaseHolderSchema,
    acquiredAt: time,
    renewedAt: time,
    /** Held while now < expiresAt; 0 once released. */
    expiresAt: time,
  })
  .refine((doc) => doc._id === leaseId(doc.source), { message: 'The lease’s _id does not name its source.', path: ['_id'] });

export type LeaseDoc = z.infer<typeof leaseDocSchema>;
export type LeaseHolder = Pick<z.infer<typeof leaseHolderSchema>, 'installId' | 'name'>;

export type LeaseOutcome = { ok: true; lease: LeaseDoc; took: 'new' | 'renewed' | 'expired' } | { ok: false; heldBy: LeaseDoc };

/** ok: this install held it and it is now released (expiresAt 0). Not ok: someone else holds it, or there is no lease (heldBy undefined). */
export type ReleaseOutcome = { ok: true; lease: LeaseDoc } | { ok: false; heldBy: LeaseDoc | undefined };

export interface LeaseOptions extends TeamRequestOptions {
  /** This browser's clock; default Date.now(). */
  now?: number;
  /** Default LEASE_TTL_MS. */
  ttlMs?: number;
}

/** The lease document's id for a source. */
export function leaseId(source: string): string {
  return `${LEASE_ID_PREFIX}${source}`;
}

/** Whether the lease is held at `now` (by anyone). */
export function isLeaseLive(lease: Pick<LeaseDoc, 'expiresAt'>, now: number = Date.now()): boolean {
  return lease.expiresAt > now;
}

/**
 * Takes the source's lease for this install: creates it when there is none ('new'), renews it when
 * this install holds it ('renewed', also after it lapsed if nobody took it meanwhile), takes it over
 * when another's has expired ('expired'), or answers who holds it. Refusals, an unreachable or
 * non-CouchDB server throw TeamServerError (as probeTeam classifies them).
 */
export function acquireLease(settings: TeamSettings, source: string, holder: LeaseHolder, options: LeaseOptions = {}): Promise<LeaseOutcome> {
  return writeLease(settings, source, holder, options, 'acquire');
}

/**
 * Renews the lease this install holds; never takes over another's, even an expired one: not ok
 * means this install lost it (it was stopped past its expiry and another member took it) and must
 * stop the scheduled sync. A lease that is gone altogether (an admin deleted it) is created ('new').
 */
export function renewLease(settings: TeamSettings, source: string, holder: LeaseHolder, options: LeaseOptions = {}): Promise<LeaseOutcome> {
  return writeLease(settings, source, holder, options, 'renew');
}

/** Lets the lease go (expiresAt 0) if this install holds it, so another member need not wait for its expiry. Never touches another's. */
export async function releaseLease(settings: TeamSettings, source: string, holder: LeaseHolder, options: TeamRequestOptions = {}): Promise<ReleaseOutcome> {
  const who = checkHolder(holder);
  const lease = new LeaseDocument(settings, checkSource(source), options);
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = await lease.read();
    if (!current || current.holder.installId !== who.installId) return { ok: false, heldBy: current };
    if (current.expiresAt === 0) return { ok: true, lease: current };
    const rev = await lease.write({ ...current, expiresAt: 0 });
    if (rev !== CONFLICT) return { ok: true, lease: { ...current, expiresAt: 0, _rev: rev } };
  }
  const current = await lease.read();
  if (current && current.holder.installId === who.installId && current.expiresAt === 0) return { ok: true, lease: current };
  return { ok: false, heldBy: current };
}

/** Every sync lease in the team database, in id order, for the Team panel ("who holds each sync lease"). Documents that are not valid leases are left out. */
export async function readLeases(settings: TeamSettings, options: TeamRequestOptions = {}): Promise<LeaseDoc[]> {
  const connection = new TeamConnection(settings, options);
  // _all_docs sorts ids raw (byte order; PouchDB: code units), so every `lease:…` id sorts below
  // `lease;` (';' follows ':'), whatever characters follow the prefix.
  const range = `startkey=${encodeURIComponent(JSON.stringify(LEASE_ID_PREFIX))}&endkey=${encodeURIComponent(JSON.stringify('lease;'))}`;
  const answer = await connection.request('GET', `${connection.databaseUrl}/_all_docs?${range}&include_docs=true`, { authenticated: true });
  if (answer.status !== 200) throw await connection.databaseFailure(answer);
  const rows = allDocsSchema.safeParse(answer.body);
  if (!rows.success) throw connection.notCouchdb();
  return rows.data.rows.flatMap((row) => {
    const lease = leaseDocSchema.safeParse(row.doc);
    return lease.success ? [lease.data] : [];
  });
}

const allDocsSchema = z.looseObject({ rows: z.array(z.looseObject({ id: z.string(), doc: z.unknown().optional() })) });
const putAnswerSchema = z.looseObject({ ok: z.literal(true), rev: z.string().min(1) });
const couchDocSchema = z.looseObject({ _id: z.string(), _rev: z.string() });

const CONFLICT = Symbol('conflict');

type Plan = { write: LeaseDoc; took: 'new' | 'renewed' | 'expired' } | { refuse: LeaseDoc };

async function writeLease(
  settings: TeamSettings,
  source: string,
  holder: LeaseHolder,
  options: LeaseOptions,
  mode: 'acquire' | 'renew',
): Promise<LeaseOutcome> {
  const who = checkHolder(holder);
  const now = options.now ?? Date.now();
  const ttlMs = options.ttlMs ?? LEASE_TTL_MS;
  if (!Number.isSafeInteger(now) || now < 0) throw new TypeError(`The lease’s time must be a whole number of milliseconds, not ${now}.`);
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new TypeError(`The lease’s TTL must be a positive whole number of milliseconds, not ${ttlMs}.`);
  const lease = new LeaseDocument(settings, checkSource(source), options);
  for (let attempt = 0; attempt < 2; attempt++) {
    const plan = decide(await lease.read(), lease.source, who, now, ttlMs, mode);
    if ('refuse' in plan) return { ok: false, heldBy: plan.refuse };
    const rev = await lease.write(plan.write);
    if (rev !== CONFLICT) return { ok: true, lease: { ...plan.write, _rev: rev }, took: plan.took };
  }
  // Written twice by others while deciding: answer what is there now.
  const current = await lease.read();
  if (!current) throw lease.busy();
  if (current.holder.installId === who.installId && isLeaseLive(current, now)) return { ok: true, lease: current, took: 'renewed' };
  return { ok: false, heldBy: current };
}

function decide(current: LeaseDoc | undefined, source: string, holder: LeaseHolder, now: number, ttlMs: number, mode: 'acquire' | 'renew'): Plan {
  const written = (acquiredAt: number, rev?: string): LeaseDoc => ({
    _id: leaseId(source),
    ...(rev ? { _rev: rev } : {}),
    kind: 'lease',
    schema: 1,
    source,
    holder: { installId: holder.installId, name: holder.name },
    acquiredAt,
    renewedAt: now,
    expiresAt: now + ttlMs,
  });
  if (!current) return { write: written(now), took: 'new' };
  const live = isLeaseLive(current, now);
  // Ours: renew (a lapsed one starts a new holding; nobody took it, or the _rev would differ).
  if (current.holder.installId === holder.installId) return { write: written(live ? current.acquiredAt : now, current._rev), took: 'renewed' };
  if (mode === 'acquire' && !live) return { write: written(now, current._rev), took: 'expired' };
  return { refuse: current };
}

/** One source's lease document on the team server. */
class LeaseDocument {
  private readonly connection: TeamConnection;
  private readonly url: string;
  private readonly where: string;

  constructor(
    settings: TeamSettings,
    readonly source: string,
    options: TeamRequestOptions,
  ) {
    this.connection = new TeamConnection(settings, options);
    this.url = this.connection.docUrl(leaseId(source));
    this.where = `“${settings.database}” on ${new URL(settings.serverUrl).host}`;
  }

  /** The lease, or undefined when there is none (never written, or deleted). */
  async read(): Promise<LeaseDoc | undefined> {
    const answer = await this.connection.request('GET', this.url, { authenticated: true });
    if (answer.status === 404) {
      const error = couchErrorSchema.safeParse(answer.body);
      if (!error.success) throw this.connection.notCouchdb();
      // A missing document answers "missing" or "deleted"; a missing database another reason.
      if (error.data.reason === 'missing' || error.data.reason === 'deleted') return undefined;
      throw await this.connection.databaseFailure(answer);
    }
    if (answer.status !== 200) throw await this.connection.databaseFailure(answer);
    if (!couchDocSchema.safeParse(answer.body).success) throw this.connection.notCouchdb();
    const lease = leaseDocSchema.safeParse(answer.body);
    if (!lease.success || lease.data.source !== this.source) {
      throw new TeamServerError(
        'not-sidecar',
        `The sync lease “${leaseId(this.source)}” in ${this.where} is not one this version of Sidecar wrote, so Sidecar leaves it alone and does not run this PSA’s scheduled sync. Update Sidecar, or ask a CouchDB admin to delete that document.`,
      );
    }
    return lease.data;
  }

  /** PUT with the document's `_rev` (none: create): the new revision, or CONFLICT when someone wrote first. */
  async write(doc: LeaseDoc): Promise<string | typeof CONFLICT> {
    const answer = await this.connection.request('PUT', this.url, { authenticated: true, json: doc });
    if (answer.status === 409) return CONFLICT;
    if (answer.status === 201 || answer.status === 202) {
      const written = putAnswerSchema.safeParse(answer.body);
      if (!written.success) throw this.connection.notCouchdb();
      return written.data.rev;
    }
    throw await this.connection.databaseFailure(answer);
  }

  busy(): TeamServerError {
    return new TeamServerError(
      'server',
      `The sync lease “${leaseId(this.source)}” in ${this.where} kept changing while Sidecar was taking it (another browser wrote it at the same moment). Sidecar tries again at the next sync.`,
    );
  }
}

function checkSource(source: string): string {
  if (typeof source !== 'string' || source.length === 0 || source.length > LEASE_SOURCE_MAX) {
    throw new TypeError(`A sync lease’s source is a PSA tenant key of 1 to ${LEASE_SOURCE_MAX} characters.`);
  }
  return source;
}

function checkHolder(holder: LeaseHolder): LeaseHolder {
  const valid = leaseHolderSchema.safeParse(holder);
  if (!valid.success) throw new TypeError(`A sync lease’s holder is not valid: ${z.prettifyError(valid.error)}`);
  return { installId: valid.data.installId, name: valid.data.name };
}

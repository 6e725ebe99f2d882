import type { RecordRow } from '../db/schema';
import type { CanonicalAgreement, TicketInfo } from '../psa/types';

/** Which agreement covers a ticket, and what to tell the technician about it. */
export interface Coverage {
  kind: 'named' | 'active' | 'expired' | 'none';
  message: string;
  agreement?: RecordRow;
}

const day = (iso: string | undefined) => iso?.slice(0, 10);

export function agreementIsActive(row: RecordRow, today: string): boolean {
  const agreement = row.data as CanonicalAgreement;
  if (agreement.inactive) return false;
  const start = day(agreement.startDate);
  const end = day(agreement.endDate);
  return (!start || start <= today) && (!end || end >= today);
}

/**
 * The ticket's own agreement when it names one; otherwise the company's active agreement (the
 * one running longest when there are several); otherwise a warning. `agreements` are the live
 * agreements of the client space, `integrationId` the PSA the ticket belongs to.
 */
export function coveringAgreement(agreements: RecordRow[], ticket: TicketInfo, integrationId: string, today: string): Coverage {
  const named = ticket.agreementRemoteId
    ? agreements.find((row) => row.integrationId === integrationId && row.remoteId === ticket.agreementRemoteId)
    : undefined;
  if (named) {
    if (agreementIsActive(named, today)) return { kind: 'named', agreement: named, message: 'The ticket is logged against this agreement.' };
    const end = day((named.data as CanonicalAgreement).endDate);
    return {
      kind: 'expired',
      agreement: named,
      message: `The ticket’s agreement is not active${end && end < today ? ` (it ended ${end})` : ''}: check before doing billable work.`,
    };
  }
  const own = agreements.filter(
    (row) => row.integrationId === integrationId && row.companyRemoteId === ticket.companyRemoteId && agreementIsActive(row, today),
  );
  const active = own.length ? own : agreements.filter((row) => agreementIsActive(row, today));
  if (active.length) {
    const longest = [...active].sort((a, b) =>
      (day((b.data as CanonicalAgreement).endDate) ?? '9999').localeCompare(day((a.data as CanonicalAgreement).endDate) ?? '9999'),
    )[0]!;
    const unnamed = ticket.agreementRemoteId ? 'the ticket’s own agreement is not in Sidecar' : 'the ticket names none';
    return {
      kind: 'active',
      agreement: longest,
      message: active.length > 1 ? `One of ${active.length} active agreements of the company; ${unnamed}.` : `The company’s active agreement; ${unnamed}.`,
    };
  }
  return { kind: 'none', message: 'No active agreement covers this ticket: check before doing billable work.' };
}

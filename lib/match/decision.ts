import { z } from 'zod';

const companyId = z.string().min(1).max(100);

/** One user decision for a PSA company: match it to a client space, create one, or leave it unmatched. */
export const matchDecisionSchema = z.discriminatedUnion('action', [
  z.object({ companyRemoteId: companyId, action: z.literal('match'), clientSpaceId: companyId }),
  z.object({ companyRemoteId: companyId, action: z.literal('create') }),
  z.object({ companyRemoteId: companyId, action: z.literal('unmatched') }),
]);
export type MatchDecision = z.infer<typeof matchDecisionSchema>;

import { z } from 'zod';
import { billingSettingsSchema } from './settings';

/** What the billing channels carry (lib/messaging/protocol.ts). */

const text = z.string().max(2_000);
const remoteId = z.string().min(1).max(100);
const request = z.object({ method: z.enum(['POST', 'PUT', 'PATCH']), path: z.string().max(500), body: z.unknown() });

export const billingStatusSchema = z.object({ lastSyncAt: z.number(), status: z.enum(['ok', 'failed', 'skipped']), detail: text });

export const billingViewSchema = z.object({
  settings: billingSettingsSchema,
  /** Where the counts go ("recurring services of a BMS contract"); absent when the PSA has no billing writer. */
  target: text.optional(),
  /** The PSA's products; null when they could not be read (productsError says why). */
  products: z
    .array(z.object({ id: remoteId, name: text }))
    .max(10_000)
    .nullable(),
  productsError: text.optional(),
  companies: z
    .array(
      z.object({
        remoteId,
        name: text,
        agreements: z.array(z.object({ remoteId, name: text, active: z.boolean() })).max(500),
        /** The one active agreement, suggested when none is chosen. */
        suggested: remoteId.optional(),
        status: billingStatusSchema.optional(),
      }),
    )
    .max(20_000),
  /** When the schedule next sends (epoch ms), when on. */
  nextRunAt: z.number().optional(),
});
export type BillingView = z.infer<typeof billingViewSchema>;

export const billingPlanSchema = z.object({
  target: text,
  changes: z.number().int(),
  companies: z.array(
    z.object({
      companyRemoteId: remoteId,
      companyName: text,
      agreementRemoteId: remoteId.optional(),
      agreementName: text.optional(),
      problem: text.optional(),
      lines: z.array(
        z.object({ productId: remoteId, productName: text, counted: text, from: z.number().optional(), to: z.number(), change: z.boolean(), request }),
      ),
    }),
  ),
});
export type BillingPlanWire = z.infer<typeof billingPlanSchema>;

export const billingOutcomeSchema = z.object({
  updated: z.number().int(),
  unchanged: z.number().int(),
  companiesFailed: z.number().int(),
  companiesSkipped: z.number().int(),
});

export const billingLogSchema = z.array(
  z.object({
    companyName: text,
    productName: text,
    from: z.number().optional(),
    to: z.number(),
    at: z.number(),
    by: text,
    trigger: z.enum(['manual', 'schedule']),
  }),
);

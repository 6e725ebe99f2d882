import { z } from 'zod';

const remoteId = z.string().min(1).max(100);

/** What Sidecar counts per company (#16): from the records synced for it, archived ones never. */
export const countSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('active-contacts') }),
  z.object({ kind: z.literal('configurations-in-layout'), layoutId: remoteId }),
  z.object({ kind: z.literal('configurations-of-type'), typeName: z.string().trim().min(1, 'Name the configuration type.').max(200) }),
  /** Configurations in a layout whose hand-filled field (#10) holds this value (compared as shown, any case). */
  z.object({
    kind: z.literal('configurations-with-field'),
    layoutId: remoteId,
    fieldId: z.string().min(1, 'Choose the field.').max(100),
    value: z.string().trim().min(1, 'Say which value counts.').max(500),
  }),
]);
export type CountSpec = z.infer<typeof countSpecSchema>;

export const billingMappingSchema = z.object({
  id: remoteId,
  count: countSpecSchema,
  productId: remoteId,
  productName: z.string().max(300),
});
export type BillingMapping = z.infer<typeof billingMappingSchema>;

export const billingScheduleSchema = z.object({
  frequency: z.enum(['daily', 'weekly']),
  /** 0 Sunday … 6 Saturday; weekly only. */
  weekday: z.number().int().min(0).max(6),
  /** Local time, HH:MM. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time as HH:MM.'),
});
export type BillingSchedule = z.infer<typeof billingScheduleSchema>;

/**
 * One integration's billing counts (Password Boss's guide): the integration status toggle (off:
 * nothing is sent, everything stays editable), product mappings, the schedule, and per matched
 * company the agreement its counts go onto.
 */
export const billingSettingsSchema = z
  .object({
    enabled: z.boolean(),
    mappings: z.array(billingMappingSchema).max(20, 'At most 20 product mappings.'),
    schedule: billingScheduleSchema,
    companies: z.record(remoteId, z.object({ agreementRemoteId: remoteId })).refine((map) => Object.keys(map).length <= 10_000, 'Too many companies.'),
  })
  .superRefine((settings, context) => {
    const seen = new Set<string>();
    settings.mappings.forEach((mapping, index) => {
      if (seen.has(mapping.productId)) {
        context.addIssue({
          code: 'custom',
          path: ['mappings', index, 'productId'],
          message: `${mapping.productName || 'This product'} is mapped twice: one count a product.`,
        });
      }
      seen.add(mapping.productId);
    });
  });
export type BillingSettings = z.infer<typeof billingSettingsSchema>;

export const DEFAULT_BILLING: BillingSettings = {
  enabled: false,
  mappings: [],
  schedule: { frequency: 'daily', weekday: 1, time: '02:00' },
  companies: {},
};

/** Stored settings are untrusted (an older or hand-edited row): unreadable ones count as none (and off). */
export function readBillingSettings(stored: unknown): BillingSettings {
  const parsed = billingSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_BILLING;
}

/** The next time the schedule is due after `after` (local time of `after`'s environment). */
export function nextBillingRun(schedule: BillingSchedule, after: Date): Date {
  const [hours, minutes] = schedule.time.split(':').map(Number) as [number, number];
  const next = new Date(after);
  next.setHours(hours, minutes, 0, 0);
  if (schedule.frequency === 'daily') {
    if (next <= after) next.setDate(next.getDate() + 1);
    return next;
  }
  const days = (schedule.weekday - next.getDay() + 7) % 7;
  next.setDate(next.getDate() + days);
  if (next <= after) next.setDate(next.getDate() + 7);
  return next;
}

import { z } from 'zod';

/** Skip options as they arrive from the options page or a setup file (untrusted either way). */
export const skipOptionsSchema = z.object({
  contacts: z.boolean(),
  agreements: z.boolean(),
  configurations: z.boolean(),
  sites: z.boolean(),
  inactiveConfigurations: z.boolean(),
  configurationTypes: z.array(z.string().max(200)).max(500),
  inactiveCompanies: z.boolean().optional(),
  companyTypes: z.array(z.string().max(200)).max(500).optional(),
});

export const API_SHARE_RANGE = { min: 5, max: 100 } as const;

/** Percent of the PSA's documented rate limit Sidecar's sync may use. */
export const apiSharePercentSchema = z
  .number({ message: 'Enter the share of the rate limit as a number of percent.' })
  .int('Enter a whole number of percent.')
  .min(API_SHARE_RANGE.min, `Use at least ${API_SHARE_RANGE.min}% of the rate limit, or a large sync would take days.`)
  .max(API_SHARE_RANGE.max, `Sidecar cannot use more than ${API_SHARE_RANGE.max}% of the rate limit.`);

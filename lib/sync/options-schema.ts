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

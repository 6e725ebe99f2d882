import { z } from 'zod';

/**
 * What billing counts read back from BMS (docs/psa/kaseya-bms.md#billing-counts), after camelCase
 * conversion; only the fields Sidecar uses, the rest of each spec DTO is ignored.
 */
const id = z.number().int().positive();
const text = z.string().nullish();
const money = z.number().nullish();

/** `ServiceListOutputDto` (services search) and `ServiceOutputDto` (a service by id). */
export const bmsServiceSchema = z.object({ id, name: text, description: text, unitCost: money, unitPrice: money, isActive: z.boolean().nullish() });
export type BmsServiceRow = z.infer<typeof bmsServiceSchema>;

/**
 * `RelatedServicesListOutputDto`: one contract's line of a service. The spec's DTO has no units;
 * `units` is read only in case a server sends it.
 */
export const bmsContractServiceSchema = z.object({ id, serviceId: id, contractId: id, accountId: z.number().int().nullish(), units: z.number().nullish() });
export type BmsContractServiceRow = z.infer<typeof bmsContractServiceSchema>;

/** `ContractLookupOutputDto`: `{id, name, isDefault, slaId, slaName, isActive, endDate}`. */
export const bmsContractLookupSchema = z.object({ id, name: text });

/** `RecurringServicePostOutputDto`: the line as BMS holds it after the write. */
export const bmsWrittenLineSchema = z.object({
  id,
  serviceId: z.number().int().nullish(),
  contractId: z.number().int().nullish(),
  units: z.number().nullish(),
});

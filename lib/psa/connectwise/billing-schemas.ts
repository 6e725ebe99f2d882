import { z } from 'zod';
import { lenient, lenientList } from '../values';

/**
 * Wire shapes the billing writer reads (docs/psa/connectwise.md#billing-counts): catalog items,
 * agreement additions and the agreement a count goes to. Only the fields used are declared; a
 * row without an id is dropped from its list (lenientList) instead of failing the whole list.
 */

const id = z.number().int().positive();
const text = lenient(z.string());

/** `CatalogItem` (`/procurement/catalog`), as `fields=id,identifier,description,inactiveFlag` returns it. */
export const cwCatalogItemsSchema = lenientList(z.object({ id, identifier: text, description: text, inactiveFlag: lenient(z.boolean()) }));

/** `Addition` (`/finance/agreements/{id}/additions`): product is an `IvItemReference`. */
export const cwAdditionSchema = z.object({
  id,
  product: z.object({ id }),
  // A null quantity reads as none billed: ConnectWise omits nulls, and the contract marks it nullable.
  quantity: lenient(z.number()).transform((value) => value ?? 0),
  cancelledDate: lenient(z.string()),
});
export const cwAdditionsSchema = lenientList(cwAdditionSchema);

/** The agreement a count goes to: whose it is and whether it still runs. */
export const cwAgreementOwnerSchema = z.object({
  id,
  company: z.object({ id }),
  cancelledFlag: lenient(z.boolean()),
  agreementStatus: text,
});

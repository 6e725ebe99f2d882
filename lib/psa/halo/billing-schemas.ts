import { z } from 'zod';

/**
 * HaloPSA shapes of billing counts (docs/psa/halo.md#billing-counts): items (spec `Item`),
 * recurring invoices (spec `InvoiceHeader`) and their lines (spec `InvoiceDetail`). The April 2025
 * spec declares no GET responses, so each name read here is the request schema's; where a real
 * Halo may answer under another name (the line's item), the variants are read too. Only the
 * fields used are declared; a row that does not parse is left out, never the whole list.
 */

const positiveId = z.number().int().positive();
/** An id Halo may send as null or 0 ("none"); anything malformed reads as absent. */
const maybeId = z
  .number()
  .int()
  .nullish()
  .catch(undefined)
  .transform((value) => (value && value > 0 ? value : undefined));
const flag = z.boolean().nullish().catch(undefined);

/** `GET /api/Item` row. The spec's `Item` has no inactive flag; one sent anyway is honoured. */
export const haloItemSchema = z.object({ id: positiveId, name: z.string().trim().min(1), inactive: flag });

/**
 * A recurring invoice line (`InvoiceDetail`). Its item is `_itemid` in the spec; a Halo that
 * answers it as `item_id` or only as the `linked_item` object is read the same.
 */
export const haloInvoiceLineSchema = z
  .object({
    id: positiveId,
    ihid: maybeId,
    _itemid: maybeId,
    item_id: maybeId,
    linked_item: z.object({ id: maybeId }).nullish().catch(undefined),
    qty_order: z.number().finite().nullish().catch(undefined),
  })
  .transform((line) => ({ id: line.id, ihid: line.ihid, itemId: line._itemid ?? line.item_id ?? line.linked_item?.id, quantity: line.qty_order ?? 0 }));
export type HaloInvoiceLine = z.output<typeof haloInvoiceLineSchema>;

const lines = z
  .unknown()
  .optional()
  .transform((value): HaloInvoiceLine[] | undefined => {
    // Absent (not asked for, or not sent in lists): undefined, so the caller reads the record whole.
    if (!Array.isArray(value)) return undefined;
    return value.flatMap((item) => {
      const parsed = haloInvoiceLineSchema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    });
  });

/** A recurring invoice (`InvoiceHeader`): its client, the contract it bills (`contract_id`), whether it is off, its lines. */
export const haloRecurringInvoiceSchema = z.object({
  id: positiveId,
  client_id: maybeId,
  contract_id: maybeId,
  disabled: flag,
  reference: z.string().nullish().catch(undefined),
  lines,
});
export type HaloRecurringInvoice = z.output<typeof haloRecurringInvoiceSchema>;

/**
 * What a line write answers: the lines written (an array, or one bare line), or the recurring
 * invoice with its lines. Anything else reads as "not said", and the caller reads the lines again.
 */
export function writtenLines(body: unknown): HaloInvoiceLine[] {
  const rows = Array.isArray(body) ? body : [body];
  return rows.flatMap((row) => {
    const header = haloRecurringInvoiceSchema.safeParse(row);
    if (header.success && header.data.lines) return header.data.lines.map((line) => ({ ...line, ihid: line.ihid ?? header.data.id }));
    // A line says its quantity; a header without lines (which also has an id) is no line.
    if (typeof (row as { qty_order?: unknown } | null)?.qty_order !== 'number') return [];
    const line = haloInvoiceLineSchema.safeParse(row);
    return line.success ? [line.data] : [];
  });
}

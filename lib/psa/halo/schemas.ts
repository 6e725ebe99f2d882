import { z } from 'zod';
import { lenientList } from '../values';

/**
 * HaloPSA wire shapes (docs/psa/halo.md#request-conventions, #paging, #entities-we-read): snake_case list rows inside `{record_count, <key>: []}`
 * wrappers; AssetType is a bare array. Only the fields we use are declared; the rest pass.
 * Ids are int32, but a few are declared as doubles (Site.client_id), so numbers are accepted.
 */
const id = z.number().int();
const looseId = z.number();
const str = z.string().nullish();
const bool = z.boolean().nullish();
/** Shown as they come (display text), so any type is accepted. */
const shown = z.unknown().optional();

/**
 * `CustomField` (spec): `name` is the internal name (CFxxx), `label` what the screen shows,
 * `value` the stored value and `display` its text. Variants are tolerated (a label alone, a
 * name alone); an entry with neither is dropped, never the record that carries it.
 */
export const haloCustomFieldSchema = z
  .object({
    id: z.unknown().optional(),
    name: z.string().nullish().catch(undefined),
    label: z.string().nullish().catch(undefined),
    value: z.unknown().optional(),
    display: z.unknown().optional(),
  })
  .refine((field) => !!(field.label?.trim() || field.name?.trim()), { message: 'custom field without a name' });
const customfields = lenientList(haloCustomFieldSchema);

/**
 * `AddressStore` (spec): how a full Site record carries its delivery address. Read leniently: a
 * malformed one reads as absent, never costing the site.
 */
const addressStore = z.object({ line1: str, line2: str, line3: str, line4: str, postcode: str }).nullish().catch(undefined);

/** Halo's last-update columns (full records: `alastupdate`, `slastupdate`, `ulastupdate`); list rows have none. */
const lastUpdate = z.string().nullish().catch(undefined);

export const haloClientSchema = z.object({
  id,
  name: z.string(),
  /** A real client record names its main site (and has no address of its own). */
  main_site_id: looseId.nullish().catch(undefined),
  alastupdate: lastUpdate,
  inactive: bool,
  ref: str,
  toplevel_name: str,
  website: str,
  phonenumber: str,
  main_phonenumber: str,
  mainsite_address: str,
  customfields,
});

export const haloSiteSchema = z.object({
  id,
  name: z.string(),
  client_id: looseId,
  inactive: bool,
  phonenumber: str,
  delivery_address_line1: str,
  delivery_address_line2: str,
  delivery_address_line3: str,
  delivery_address_line4: str,
  delivery_address_line5: str,
  delivery_address: addressStore,
  slastupdate: lastUpdate,
  main_site: bool,
  customfields,
});

export const haloUserSchema = z.object({
  id,
  name: z.string().nullish(),
  firstname: str,
  surname: str,
  client_id: looseId,
  site_id: looseId.nullish(),
  title: str,
  emailaddress: str,
  phonenumber: str,
  phonenumber_preferred: str,
  mobilenumber: str,
  inactive: bool,
  ulastupdate: lastUpdate,
  customfields,
});

/** `FieldHelper` (spec): the asset type's fields; read one by one like custom fields. */
const field = z.object({ name: z.string().nullish().catch(undefined), value: z.unknown().optional(), display: z.unknown().optional() });

export const haloAssetSchema = z.object({
  id,
  inventory_number: str,
  key_field: str,
  key_field2: str,
  client_id: looseId,
  site_id: looseId.nullish(),
  assettype_id: looseId.nullish(),
  assettype_name: str,
  status_name: str,
  inactive: bool,
  username: str,
  user_id: looseId.nullish(),
  first_user_id: looseId.nullish(),
  fields: lenientList(field),
  customfields,
  warranty_start: shown,
  warranty_end: shown,
  supplier_name: shown,
  contract_ref: shown,
});

export const haloContractSchema = z.object({
  id,
  client_id: looseId,
  ref: str,
  contracttype_name: str,
  contract_status: str,
  start_date: str,
  end_date: str,
  active: bool,
  expired: bool,
  last_modified: str,
});

export const haloAssetTypeSchema = z.object({ id, name: z.string() });

/** A record id as Halo may send it (an int, sometimes a double or a numeric string); 0 or less means none. */
const refId = z
  .union([z.number(), z.string().regex(/^\s*\d+(?:\.0+)?\s*$/)])
  .transform((value) => Math.trunc(Number(value)))
  .nullish()
  .catch(undefined);

/** An asset linked to a ticket (`Device_List` row, docs/psa/halo.md#assets): only the id is read; anything else reads as no id. */
export const haloTicketAssetSchema = z.object({ id: refId }).catch({ id: undefined });

/**
 * Full `Faults` record of `GET /api/Tickets/{id}` (docs/psa/halo.md#tickets; spec `Faults`): `user_id` is the end
 * user (contact), `contract_id` the contract (0 = none), `assets` the linked assets as
 * `Device_List` rows. `asset_id` is not in the spec and is read only as a tolerated variant.
 * Everything but the id and client is optional and a malformed value reads as absent.
 */
export const haloTicketSchema = z.object({
  id,
  summary: str,
  client_id: looseId,
  client_name: str,
  user_id: refId,
  contract_id: refId,
  /** Absent (not just empty) when this Halo leaves the ticket's assets out. */
  assets: z.array(haloTicketAssetSchema).nullish().catch(undefined),
  asset_id: refId,
});

export const haloAuthInfoSchema = z.object({ auth_url: z.string().url(), tenant_id: z.union([z.string(), z.number()]).nullish() });

export const haloTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  /** What the token may do (docs/psa/halo.md#token-response); read for the write rights only, so a malformed one reads as absent. */
  scope: z.string().nullish().catch(undefined),
});

export const haloInstanceInfoSchema = z.object({
  app_name: str,
  app_version: str,
  name: str,
  agent_url: str,
});

export const haloTokenErrorSchema = z.object({ error: z.string(), error_description: z.string().nullish() });

/** List wrapper: the total and the rows under the entity's key. */
export function parseWrapper(body: unknown, key: string): { recordCount: number; rows: unknown[] } | undefined {
  const parsed = z.object({ record_count: z.coerce.number().int().nonnegative() }).loose().safeParse(body);
  if (!parsed.success) return undefined;
  const rows = (parsed.data as Record<string, unknown>)[key];
  return Array.isArray(rows) ? { recordCount: parsed.data.record_count, rows } : undefined;
}

import { z } from 'zod';

/** Kaseya BMS DTOs after camelCase conversion (docs/psa/kaseya-bms.md#wire-names); only fields we use. */
const str = z.string().nullish();
const bool = z.boolean().nullish();
const id = z.number().int();
/** Shown as they come (display text), so any type is accepted. */
const shown = z.unknown().optional();

export const bmsAddressSchema = z.object({
  address1: str,
  address2: str,
  city: str,
  state: str,
  zipCode: str,
  phone: str,
  isMain: bool,
  country: shown,
  fax: shown,
  emailAddress: shown,
});

export const bmsLocationSchema = z.object({
  id,
  locationName: str,
  name: str,
  isMain: bool,
  isActive: bool,
  addresses: z.array(bmsAddressSchema).nullish(),
});

export const bmsAccountSchema = z.object({
  id,
  accountName: z.string(),
  accountCode: str,
  accountType: str,
  website: str,
  isActive: bool,
  modifiedOn: str,
  createdOn: str,
  locations: z.array(bmsLocationSchema).nullish(),
  accountManagerUserName: shown,
  businessType: shown,
  serviceType: shown,
  className: shown,
  acquiredDate: shown,
  description: shown,
});

export const bmsContactSchema = z.object({
  id,
  accountId: id,
  firstName: str,
  lastName: str,
  jobTitle: str,
  isActive: bool,
  locationName: shown,
  isPoc: shown,
  modifiedOn: str,
  createdOn: str,
  emails: z.array(z.object({ emailAddress: str, isDefault: bool })).nullish(),
  phones: z.array(z.object({ phone: str, isDefault: bool })).nullish(),
});

export const bmsAssetSchema = z.object({
  id,
  accountId: id,
  assetName: str,
  categoryName: str,
  serialNumber: str,
  ipAddress: str,
  locationName: str,
  contactId: z.number().int().nullish(),
  isActive: bool,
  machineGroupId: shown,
  contactName: shown,
});

export const bmsContractSchema = z.object({
  id,
  contractName: str,
  accountName: str,
  accountId: z.number().int().nullish(),
  contractType: str,
  status: str,
  contractNumber: str,
  startDate: str,
  endDate: str,
});

export const bmsAccountLookupSchema = z.object({ id, name: str, isActive: bool });

/** An optional record id: null, 0 or a malformed value read as none (never failing the record). */
const refId = z.number().int().positive().nullish().catch(undefined);

/**
 * `TicketOutputDto` (docs/psa/kaseya-bms.md#tickets): `contactId`, `hardwareAssetId` and `contractId` are
 * `int|null`; null (or 0) means the ticket names none.
 */
export const bmsTicketSchema = z.object({
  id,
  title: str,
  ticketNumber: str,
  accountId: z.number().int().nullish(),
  accountName: str,
  contactId: refId,
  hardwareAssetId: refId,
  contractId: refId,
});

export const bmsTokenSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: str,
  accessTokenExpireOn: str,
});

export const bmsUserInfoSchema = z.object({ fullName: str, businessName: str, productName: str, tenantId: z.unknown().optional() });

import { z } from 'zod';
import { lenient, lenientList, nullsAbsent } from '../values';

/**
 * ConnectWise wire shapes (docs/psa/connectwise.md#record-conventions, #entities-we-read). Only the fields we use are
 * declared; unknown fields pass silently and absent optional fields are normal: captured
 * payloads omit null-valued keys, but the spec does not promise it and client libraries'
 * fixtures carry them, so a record's null reads as absent (`nullsAbsent`) rather than setting
 * the whole record aside (#16).
 */

const ref = z.object({ id: z.number().int(), name: z.string().optional(), identifier: z.string().optional() });
const info = z.record(z.string(), z.unknown()).optional();

/**
 * `CustomFieldValue` (docs/psa/connectwise.md#record-conventions): `value` is omitted when empty. Entries are read one by one
 * (lenientList): one without a caption is dropped, never the record that carries it.
 */
export const cwCustomFieldSchema = z.object({
  id: lenient(z.number()),
  caption: z.string(),
  type: lenient(z.string()),
  numberOfDecimals: lenient(z.number()),
  value: z.unknown().optional(),
});
const customFields = lenientList(cwCustomFieldSchema);

/** `ConfigurationQuestion` (docs/psa/connectwise.md#configurations): the answer may be of any type. */
export const cwQuestionSchema = z.object({
  question: z.string(),
  answer: z.unknown().optional(),
  fieldType: lenient(z.string()),
  numberOfDecimals: lenient(z.number()),
});

/** Shown as they come (display text), so any type is accepted. */
const shown = z.unknown().optional();

export const cwCompanySchema = nullsAbsent(
  z.object({
    id: z.number().int(),
    identifier: z.string().optional(),
    name: z.string(),
    status: ref.optional(),
    addressLine1: z.string().optional(),
    addressLine2: z.string().optional(),
    city: z.string().optional(),
    state: z.string().optional(),
    zip: z.string().optional(),
    phoneNumber: z.string().optional(),
    website: z.string().optional(),
    deletedFlag: z.boolean().optional(),
    types: z.array(ref).optional(),
    customFields,
    _info: info,
  }),
);

export const cwContactSchema = nullsAbsent(
  z.object({
    id: z.number().int(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    company: ref.optional(),
    title: z.string().optional(),
    inactiveFlag: z.boolean().optional(),
    defaultPhoneNbr: z.string().optional(),
    communicationItems: z
      .array(
        z.object({
          value: z.string().optional(),
          defaultFlag: z.boolean().optional(),
          communicationType: z.string().optional(),
        }),
      )
      .optional(),
    customFields,
    _info: info,
  }),
);

export const cwConfigurationSchema = nullsAbsent(
  z.object({
    id: z.number().int(),
    name: z.string(),
    type: ref,
    status: ref.optional(),
    company: ref,
    contact: ref.optional(),
    site: ref.optional(),
    serialNumber: z.string().optional(),
    modelNumber: z.string().optional(),
    ipAddress: z.string().optional(),
    macAddress: z.string().optional(),
    osInfo: z.string().optional(),
    osType: z.string().optional(),
    activeFlag: z.boolean().optional(),
    tagNumber: shown,
    purchaseDate: shown,
    installationDate: shown,
    warrantyExpirationDate: shown,
    vendorNotes: shown,
    notes: shown,
    lastLoginName: shown,
    defaultGateway: shown,
    cpuSpeed: shown,
    ram: shown,
    localHardDrives: shown,
    deviceIdentifier: shown,
    managementLink: shown,
    remoteLink: shown,
    manufacturer: shown,
    vendor: shown,
    questions: lenientList(cwQuestionSchema),
    customFields,
    _info: info,
  }),
);

export const cwAgreementSchema = nullsAbsent(
  z.object({
    id: z.number().int(),
    name: z.string(),
    type: ref.optional(),
    company: ref,
    startDate: z.string().optional(),
    endDate: z.string().optional(),
    cancelledFlag: z.boolean().optional(),
    agreementStatus: z.string().optional(),
    _info: info,
  }),
);

export const cwSiteSchema = nullsAbsent(
  z.object({
    id: z.number().int(),
    name: z.string(),
    addressLine1: z.string().optional(),
    addressLine2: z.string().optional(),
    city: z.string().optional(),
    stateReference: ref.optional(),
    /** Some servers send the state as plain text. */
    state: z.string().optional(),
    zip: z.string().optional(),
    phoneNumber: z.string().optional(),
    primaryAddressFlag: z.boolean().optional(),
    inactiveFlag: z.boolean().optional(),
    /** What some servers send in place of `inactiveFlag`. */
    inactive: z.boolean().optional(),
    company: ref.optional(),
    customFields,
    _info: info,
  }),
);

/**
 * `Ticket` / `ProjectTicket` (docs/psa/connectwise.md#tickets): `contact` and `agreement` (an `AgreementReference`) are
 * omitted when the ticket names none; a malformed one reads as absent, never failing the lookup.
 */
export const cwTicketSchema = nullsAbsent(
  z.object({
    id: z.number().int(),
    summary: z.string().optional(),
    company: ref,
    contact: lenient(ref),
    agreement: lenient(ref),
  }),
);

/**
 * Rows of `GET /service/tickets/{id}/configurations` (docs/psa/connectwise.md#configurations): reference-sized
 * configurations (`{id, name, type, ...}`). Only the id is used; a row without one is dropped.
 */
export const cwTicketConfigurationsSchema = lenientList(z.object({ id: z.number().int().positive() }));

export const cwIdOnlySchema = z.object({ id: z.number().int() });

export const cwCountSchema = z.object({ count: z.number().int().nonnegative() });

/** `fields=id,name` rows of /company/configurations/types. */
export const cwConfigurationTypeSchema = z.object({ id: z.number().int(), name: z.string() });

export const cwCompanyInfoSchema = z.object({
  CompanyName: z.string().optional(),
  Codebase: z.string().regex(/^v[0-9a-z_]+\/?$/i),
  VersionCode: z.string().optional(),
  VersionNumber: z.string().optional(),
  CompanyID: z.string().optional(),
  IsCloud: z.union([z.string(), z.boolean()]).optional(),
});

export const cwSystemInfoSchema = z.object({ version: z.string(), isCloud: z.boolean().optional() });

export const cwErrorSchema = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
  errors: z.array(z.object({ code: z.string().optional(), message: z.string().optional() })).nullish(),
});

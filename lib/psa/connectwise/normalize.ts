import type { z } from 'zod';
import type { CanonicalAgreement, CanonicalCompany, CanonicalConfiguration, CanonicalContact, CanonicalSite } from '../types';
import { displayText, fieldsProp, text, type ValueKind } from '../values';
import type {
  cwAgreementSchema,
  cwCompanySchema,
  cwConfigurationSchema,
  cwContactSchema,
  cwCustomFieldSchema,
  cwQuestionSchema,
  cwSiteSchema,
} from './schemas';

/** ConnectWise records -> canonical records. Empty strings count as absent. */

/** A custom field's `type` or a question's `fieldType` (docs/psa/connectwise.md#record-conventions, #configurations) -> how its value reads. */
function kindOf(type: string | null | undefined): ValueKind {
  switch (type) {
    case 'Date':
      return 'date';
    case 'Checkbox':
      return 'yes-no';
    case 'Number':
    case 'Currency':
    case 'Percent':
      return 'number';
    default:
      return 'text';
  }
}

type CwCustomField = z.infer<typeof cwCustomFieldSchema>;
type CwQuestion = z.infer<typeof cwQuestionSchema>;

/** Custom fields keyed by caption; an empty value (omitted by ConnectWise) leaves the field out. */
const customFieldPairs = (fields: CwCustomField[]) =>
  fields.map((field) => [field.caption, displayText(field.value, kindOf(field.type), field.numberOfDecimals)] as const);

/** Configuration questions keyed by their question text. */
const questionPairs = (questions: CwQuestion[]) =>
  questions.map((question) => [question.question, displayText(question.answer, kindOf(question.fieldType), question.numberOfDecimals)] as const);

const joinParts = (...parts: (string | undefined)[]): string | undefined => text(parts.map(text).filter(Boolean).join(', '));

function lastUpdated(info: Record<string, unknown> | undefined): string | undefined {
  const value = info?.lastUpdated;
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : undefined;
}

export function toCompany(company: z.infer<typeof cwCompanySchema>): CanonicalCompany {
  const statusName = text(company.status?.name);
  return {
    remoteId: String(company.id),
    name: company.name.trim(),
    identifier: text(company.identifier),
    status: statusName,
    types: (company.types ?? []).map((type) => text(type.name)).filter((name): name is string => !!name),
    address: joinParts(company.addressLine1, company.addressLine2, company.city, joinParts(company.state, company.zip)?.replace(', ', ' ')),
    phone: text(company.phoneNumber),
    website: text(company.website),
    updatedAt: lastUpdated(company._info),
    inactive: statusName ? /inactive/i.test(statusName) : undefined,
    deleted: company.deletedFlag === true ? true : undefined,
    ...fieldsProp(customFieldPairs(company.customFields)),
  };
}

export function toContact(contact: z.infer<typeof cwContactSchema>, fallbackCompanyId?: string): CanonicalContact | undefined {
  const companyRemoteId = contact.company ? String(contact.company.id) : fallbackCompanyId;
  if (!companyRemoteId) return undefined;
  const items = contact.communicationItems ?? [];
  const pick = (type: string) =>
    text(items.find((item) => item.communicationType === type && item.defaultFlag)?.value) ??
    text(items.find((item) => item.communicationType === type)?.value);
  const name = joinParts(contact.firstName, contact.lastName)?.replace(', ', ' ') ?? `Contact ${contact.id}`;
  return {
    remoteId: String(contact.id),
    companyRemoteId,
    name,
    title: text(contact.title),
    email: pick('Email'),
    phone: text(contact.defaultPhoneNbr) ?? pick('Phone'),
    inactive: contact.inactiveFlag,
    updatedAt: lastUpdated(contact._info),
    ...fieldsProp(customFieldPairs(contact.customFields)),
  };
}

export function toConfiguration(configuration: z.infer<typeof cwConfigurationSchema>): CanonicalConfiguration {
  return {
    remoteId: String(configuration.id),
    companyRemoteId: String(configuration.company.id),
    name: configuration.name.trim(),
    typeName: text(configuration.type.name) ?? `Type ${configuration.type.id}`,
    status: text(configuration.status?.name),
    serialNumber: text(configuration.serialNumber),
    modelNumber: text(configuration.modelNumber),
    ipAddress: text(configuration.ipAddress),
    macAddress: text(configuration.macAddress),
    osInfo: osOf(configuration.osType, configuration.osInfo),
    contactRemoteId: configuration.contact ? String(configuration.contact.id) : undefined,
    siteRemoteId: configuration.site ? String(configuration.site.id) : undefined,
    inactive: configuration.activeFlag === false ? true : configuration.activeFlag === true ? false : undefined,
    updatedAt: lastUpdated(configuration._info),
    ...fieldsProp([...configurationPairs(configuration), ...questionPairs(configuration.questions), ...customFieldPairs(configuration.customFields)]),
  };
}

/** The configuration properties a user may show, labelled as ConnectWise's configuration screen names them. */
function configurationPairs(configuration: z.infer<typeof cwConfigurationSchema>) {
  return [
    ['Tag Number', displayText(configuration.tagNumber)],
    ['Manufacturer', displayText(configuration.manufacturer)],
    ['Vendor', displayText(configuration.vendor)],
    ['Purchase Date', displayText(configuration.purchaseDate, 'date')],
    ['Installation Date', displayText(configuration.installationDate, 'date')],
    ['Warranty Expiration', displayText(configuration.warrantyExpirationDate, 'date')],
    ['Device Identifier', displayText(configuration.deviceIdentifier)],
    ['Last Login Name', displayText(configuration.lastLoginName)],
    ['Default Gateway', displayText(configuration.defaultGateway)],
    ['CPU Speed', displayText(configuration.cpuSpeed)],
    ['RAM', displayText(configuration.ram)],
    ['Local Hard Drives', displayText(configuration.localHardDrives)],
    ['Management Link', displayText(configuration.managementLink)],
    ['Remote Link', displayText(configuration.remoteLink)],
    ['Vendor Notes', displayText(configuration.vendorNotes)],
    ['Notes', displayText(configuration.notes)],
  ] as const;
}

/** osType "Windows" + osInfo "Windows 11 Pro" -> "Windows 11 Pro", not "Windows Windows 11 Pro". */
function osOf(osType: string | undefined, osInfo: string | undefined): string | undefined {
  const type = text(osType);
  const info = text(osInfo);
  if (type && info) return info.toLowerCase().startsWith(type.toLowerCase()) ? info : `${type} ${info}`;
  return info ?? type;
}

export function toAgreement(agreement: z.infer<typeof cwAgreementSchema>): CanonicalAgreement {
  const status = text(agreement.agreementStatus) ?? (agreement.cancelledFlag ? 'Cancelled' : undefined);
  return {
    remoteId: String(agreement.id),
    companyRemoteId: String(agreement.company.id),
    name: agreement.name.trim(),
    typeName: text(agreement.type?.name),
    status,
    startDate: text(agreement.startDate),
    endDate: text(agreement.endDate),
    inactive: status ? status !== 'Active' : undefined,
    updatedAt: lastUpdated(agreement._info),
  };
}

export function toSite(site: z.infer<typeof cwSiteSchema>, companyRemoteId: string): CanonicalSite {
  return {
    remoteId: String(site.id),
    companyRemoteId: site.company ? String(site.company.id) : companyRemoteId,
    name: site.name.trim(),
    address: joinParts(
      site.addressLine1,
      site.addressLine2,
      site.city,
      joinParts(site.stateReference?.identifier ?? site.stateReference?.name ?? site.state, site.zip)?.replace(', ', ' '),
    ),
    phone: text(site.phoneNumber),
    primary: site.primaryAddressFlag,
    inactive: site.inactiveFlag ?? site.inactive,
    updatedAt: lastUpdated(site._info),
    ...fieldsProp(customFieldPairs(site.customFields)),
  };
}

import type { z } from 'zod';
import type { CanonicalAgreement, CanonicalCompany, CanonicalConfiguration, CanonicalContact, CanonicalSite } from '../types';
import type { bmsAccountSchema, bmsAddressSchema, bmsAssetSchema, bmsContactSchema, bmsContractSchema, bmsLocationSchema } from './schemas';
import { displayText, fieldsProp, text } from '../values';
import { bmsDate } from './wire';

function formatAddress(address: z.infer<typeof bmsAddressSchema> | undefined): string | undefined {
  if (!address) return undefined;
  const region = [text(address.state), text(address.zipCode)].filter(Boolean).join(' ');
  return [text(address.address1), text(address.address2), text(address.city), region || undefined].filter(Boolean).join(', ') || undefined;
}

const mainAddress = (location: z.infer<typeof bmsLocationSchema> | undefined) =>
  location?.addresses?.find((address) => address.isMain) ?? location?.addresses?.[0] ?? undefined;

export function toCompany(account: z.infer<typeof bmsAccountSchema>): CanonicalCompany {
  const main = account.locations?.find((location) => location.isMain) ?? account.locations?.[0];
  const address = mainAddress(main);
  return {
    remoteId: String(account.id),
    name: account.accountName.trim(),
    identifier: text(account.accountCode),
    status: account.isActive === false ? 'Inactive' : 'Active',
    types: text(account.accountType) ? [text(account.accountType)!] : [],
    address: formatAddress(address),
    phone: text(address?.phone),
    website: text(account.website),
    updatedAt: bmsDate(account.modifiedOn) ?? bmsDate(account.createdOn),
    inactive: account.isActive === false ? true : undefined,
    ...fieldsProp([
      ['Account Manager', displayText(account.accountManagerUserName)],
      ['Business Type', displayText(account.businessType)],
      ['Service Type', displayText(account.serviceType)],
      ['Class', displayText(account.className)],
      ['Acquired Date', displayText(account.acquiredDate, 'date')],
      ['Description', displayText(account.description)],
    ]),
  };
}

export function toSites(account: z.infer<typeof bmsAccountSchema>): CanonicalSite[] {
  return (account.locations ?? []).map((location) => {
    const address = mainAddress(location);
    return {
      remoteId: String(location.id),
      companyRemoteId: String(account.id),
      name: text(location.locationName) ?? text(location.name) ?? `Location ${location.id}`,
      address: formatAddress(address),
      phone: text(address?.phone),
      primary: location.isMain ?? undefined,
      inactive: location.isActive === false ? true : undefined,
      ...fieldsProp([
        ['Country', displayText(address?.country)],
        ['Fax', displayText(address?.fax)],
        ['Email', displayText(address?.emailAddress)],
      ]),
    };
  });
}

export function toContact(contact: z.infer<typeof bmsContactSchema>): CanonicalContact {
  const pick = <T extends { isDefault?: boolean | null }>(items: T[] | null | undefined) => items?.find((item) => item.isDefault) ?? items?.[0];
  return {
    remoteId: String(contact.id),
    companyRemoteId: String(contact.accountId),
    name: [text(contact.firstName), text(contact.lastName)].filter(Boolean).join(' ') || `Contact ${contact.id}`,
    title: text(contact.jobTitle),
    email: text(pick(contact.emails)?.emailAddress),
    phone: text(pick(contact.phones)?.phone),
    updatedAt: bmsDate(contact.modifiedOn) ?? bmsDate(contact.createdOn),
    inactive: contact.isActive === false ? true : undefined,
    ...fieldsProp([
      ['Location', displayText(contact.locationName)],
      ['Point of Contact', displayText(contact.isPoc, 'yes-no')],
    ]),
  };
}

export function toConfiguration(asset: z.infer<typeof bmsAssetSchema>): CanonicalConfiguration {
  return {
    remoteId: String(asset.id),
    companyRemoteId: String(asset.accountId),
    name: text(asset.assetName) ?? `Asset ${asset.id}`,
    typeName: text(asset.categoryName) ?? 'Hardware',
    serialNumber: text(asset.serialNumber),
    ipAddress: text(asset.ipAddress),
    ...(asset.contactId ? { contactRemoteId: String(asset.contactId) } : {}),
    inactive: asset.isActive === false ? true : undefined,
    // The list row is all the hardware asset search gives (no detail calls): offer what it has.
    ...fieldsProp([
      ['Machine Group', displayText(asset.machineGroupId)],
      ['Location', displayText(asset.locationName)],
      ['Contact', displayText(asset.contactName)],
    ]),
  };
}

export function toAgreement(contract: z.infer<typeof bmsContractSchema>, companyRemoteId: string): CanonicalAgreement {
  const status = text(contract.status);
  return {
    remoteId: String(contract.id),
    companyRemoteId,
    name: text(contract.contractName) ?? text(contract.contractNumber) ?? `Contract ${contract.id}`,
    typeName: text(contract.contractType),
    status,
    startDate: bmsDate(contract.startDate),
    endDate: bmsDate(contract.endDate),
    inactive: status ? status.toLowerCase() !== 'active' : undefined,
  };
}

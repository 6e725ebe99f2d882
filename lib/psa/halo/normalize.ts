import type { z } from 'zod';
import type { CanonicalAgreement, CanonicalCompany, CanonicalConfiguration, CanonicalContact, CanonicalSite } from '../types';
import { displayText, fieldsProp, text, utcDate } from '../values';
import type { haloAssetSchema, haloClientSchema, haloContractSchema, haloCustomFieldSchema, haloSiteSchema, haloUserSchema } from './schemas';

/** HaloPSA rows -> canonical records. Halo sends UTC without a zone and "empty" dates as 1900/0001. */

/** Halo sends UTC without a zone and "empty" dates as 1900/0001 (docs/psa/halo.md#dates). */
export const haloDate = utcDate;

const id = (value: number) => String(Math.trunc(value));

/** What Halo shows for a field: its display text, else its value (dates as YYYY-MM-DD, placeholders empty). */
const shown = (field: { display?: unknown; value?: unknown }) => displayText(field.display) ?? displayText(field.value);

/** Custom fields keyed by the label the screen shows (the internal CF name when there is none). */
const customFieldPairs = (fields: z.infer<typeof haloCustomFieldSchema>[]) =>
  fields.map((field) => [text(field.label) ?? text(field.name), shown(field)] as const);

export function toCompany(client: z.infer<typeof haloClientSchema>): CanonicalCompany {
  return {
    remoteId: id(client.id),
    name: client.name.trim(),
    identifier: text(client.ref),
    status: client.inactive ? 'Inactive' : 'Active',
    types: text(client.toplevel_name) ? [text(client.toplevel_name)!] : [],
    address: text(client.mainsite_address),
    phone: text(client.phonenumber) ?? text(client.main_phonenumber),
    website: text(client.website),
    ...(client.main_site_id ? { mainSiteRemoteId: id(client.main_site_id) } : {}),
    inactive: client.inactive ?? undefined,
    updatedAt: haloDate(client.alastupdate),
    // The April 2025 list row has no `website` (docs/psa/halo.md#clients): the full record gives it.
    ...('website' in client ? {} : { unlistedFields: ['website' as const] }),
    ...fieldsProp(customFieldPairs(client.customfields)),
  };
}

export function toSite(site: z.infer<typeof haloSiteSchema>): CanonicalSite {
  // The list's address lines, else the full record's address object.
  const listed = [
    site.delivery_address_line1,
    site.delivery_address_line2,
    site.delivery_address_line3,
    site.delivery_address_line4,
    site.delivery_address_line5,
  ];
  const stored = site.delivery_address;
  const lines = (listed.some((line) => text(line)) ? listed : [stored?.line1, stored?.line2, stored?.line3, stored?.line4, stored?.postcode])
    .map(text)
    .filter(Boolean);
  return {
    remoteId: id(site.id),
    companyRemoteId: id(site.client_id),
    name: site.name.trim(),
    address: lines.length ? lines.join(', ') : undefined,
    phone: text(site.phonenumber),
    primary: site.main_site ?? undefined,
    inactive: site.inactive ?? undefined,
    updatedAt: haloDate(site.slastupdate),
    ...fieldsProp(customFieldPairs(site.customfields)),
  };
}

export function toContact(user: z.infer<typeof haloUserSchema>): CanonicalContact {
  const name = text(user.name) ?? ([text(user.firstname), text(user.surname)].filter(Boolean).join(' ') || `User ${user.id}`);
  return {
    remoteId: id(user.id),
    companyRemoteId: id(user.client_id),
    name,
    title: text(user.title),
    email: text(user.emailaddress),
    phone: text(user.phonenumber_preferred) ?? text(user.phonenumber) ?? text(user.mobilenumber),
    inactive: user.inactive ?? undefined,
    updatedAt: haloDate(user.ulastupdate),
    ...fieldsProp(customFieldPairs(user.customfields)),
  };
}

/** Serial numbers live in the asset type's fields (FieldHelper[]), named per type. */
function fieldValue(asset: z.infer<typeof haloAssetSchema>, pattern: RegExp): string | undefined {
  const found = asset.fields.find((field) => field.name && pattern.test(field.name));
  const value = found?.display ?? found?.value;
  return typeof value === 'string' || typeof value === 'number' ? text(String(value)) : undefined;
}

/** The asset type's fields (as the asset screen lists them), a few list columns, then custom fields. */
function assetPairs(asset: z.infer<typeof haloAssetSchema>) {
  return [
    ...asset.fields.map((field) => [field.name, shown(field)] as const),
    ['Inventory Number', displayText(asset.inventory_number)],
    ['Warranty Start', displayText(asset.warranty_start, 'date')],
    ['Warranty End', displayText(asset.warranty_end, 'date')],
    ['Supplier', displayText(asset.supplier_name)],
    ['Contract', displayText(asset.contract_ref)],
    ...customFieldPairs(asset.customfields),
  ] as const;
}

export function toConfiguration(asset: z.infer<typeof haloAssetSchema>, typeNames: Map<number, string>): CanonicalConfiguration {
  const typeName = text(asset.assettype_name) ?? (asset.assettype_id ? typeNames.get(asset.assettype_id) : undefined) ?? 'Asset';
  return {
    remoteId: id(asset.id),
    companyRemoteId: id(asset.client_id),
    name: text(asset.key_field) ?? text(asset.inventory_number) ?? `Asset ${asset.id}`,
    typeName,
    status: text(asset.status_name),
    serialNumber: fieldValue(asset, /serial/i) ?? text(asset.key_field2),
    modelNumber: fieldValue(asset, /model/i),
    ipAddress: fieldValue(asset, /\bip\b|ip address/i),
    macAddress: fieldValue(asset, /mac/i),
    osInfo: fieldValue(asset, /operating system|\bos\b/i),
    ...(asset.site_id ? { siteRemoteId: id(asset.site_id) } : {}),
    ...((asset.first_user_id ?? asset.user_id) ? { contactRemoteId: id((asset.first_user_id ?? asset.user_id)!) } : {}),
    inactive: asset.inactive ?? undefined,
    ...fieldsProp(assetPairs(asset)),
  };
}

export function toAgreement(contract: z.infer<typeof haloContractSchema>): CanonicalAgreement {
  const status = text(contract.contract_status) ?? (contract.expired ? 'Expired' : contract.active ? 'Active' : 'Inactive');
  return {
    remoteId: id(contract.id),
    companyRemoteId: id(contract.client_id),
    name: text(contract.ref) ?? text(contract.contracttype_name) ?? `Contract ${contract.id}`,
    typeName: text(contract.contracttype_name),
    status,
    startDate: haloDate(contract.start_date),
    endDate: haloDate(contract.end_date),
    inactive: contract.active === false || contract.expired === true ? true : undefined,
    updatedAt: haloDate(contract.last_modified),
  };
}

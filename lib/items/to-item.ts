import type { RecordRow } from '../db/schema';
import type { CanonicalAgreement, CanonicalCompany, CanonicalConfiguration, CanonicalContact, CanonicalSite, EntityKind } from '../psa/types';
import type { OverlayItem } from './item-model';

/** Canonical records -> the rows the overlay shows. Values a technician pastes get a copy button. */

type Field = OverlayItem['fields'][number];
const field = (label: string, value: string | undefined, copy = false): Field[] => (value ? [{ label, value, ...(copy ? { copy } : {}) }] : []);
const joined = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' · ') || undefined;
const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : undefined);

/** `connected`: the record's layout fields filled from PSA fields (#4), shown after the built-in ones. */
export function toItem(row: RecordRow, url: string | undefined, connected: { label: string; value: string }[] = []): OverlayItem {
  const extra = connected.map(({ label, value }) => ({ label, value, copy: true }));
  const base = { remoteId: row.remoteId, ...(url ? { url } : {}), ...(row.data.inactive ? { inactive: true } : {}) };
  const withSubtitle = (title: string, detail: string | undefined, fields: Field[]): OverlayItem => {
    const subtitle = joined(detail, row.goneFromPsaAt ? 'deleted in the PSA' : undefined);
    return { ...base, title, ...(subtitle ? { subtitle } : {}), fields: [...fields, ...extra] };
  };
  switch (row.entity as EntityKind) {
    case 'company': {
      const company = row.data as CanonicalCompany;
      return withSubtitle(company.name, joined(company.identifier, company.status), [
        ...field('Address', company.address, true),
        ...field('Phone', company.phone, true),
        ...field('Website', company.website, true),
      ]);
    }
    case 'contact': {
      const contact = row.data as CanonicalContact;
      return withSubtitle(contact.name, contact.title, [...field('Email', contact.email, true), ...field('Phone', contact.phone, true)]);
    }
    case 'configuration': {
      const configuration = row.data as CanonicalConfiguration;
      return withSubtitle(configuration.name, joined(configuration.typeName, configuration.status), [
        ...field('Serial', configuration.serialNumber, true),
        ...field('Model', configuration.modelNumber),
        ...field('IP', configuration.ipAddress, true),
        ...field('MAC', configuration.macAddress, true),
        ...field('OS', configuration.osInfo),
      ]);
    }
    case 'agreement': {
      const agreement = row.data as CanonicalAgreement;
      return withSubtitle(agreement.name, joined(agreement.typeName, agreement.status), [
        ...field('Start', day(agreement.startDate)),
        ...field('End', day(agreement.endDate)),
      ]);
    }
    case 'site': {
      const site = row.data as CanonicalSite;
      return withSubtitle(site.name, site.primary ? 'Primary site' : undefined, [...field('Address', site.address, true), ...field('Phone', site.phone, true)]);
    }
  }
}

/**
 * A company with no address of its own shows its main site's (HaloPSA keeps a client's address
 * on its main site: `main_site_id`), else its primary site's. `sites`: the company's site rows.
 */
export function withMainSiteAddress(item: OverlayItem, company: RecordRow, sites: readonly RecordRow[]): OverlayItem {
  if ((company.data as CanonicalCompany).address) return item;
  const mainSiteId = (company.data as CanonicalCompany).mainSiteRemoteId;
  const site =
    (mainSiteId !== undefined ? sites.find((row) => row.remoteId === mainSiteId) : undefined) ?? sites.find((row) => (row.data as CanonicalSite).primary);
  const address = site && (site.data as CanonicalSite).address;
  if (!address) return item;
  return { ...item, fields: [{ label: 'Address', value: address, copy: true }, ...item.fields] };
}

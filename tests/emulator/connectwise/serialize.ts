import type { CwRecord, CwStore } from './store.ts';

/**
 * Stored record → wire JSON: deep copy with null/undefined keys dropped (ConnectWise omits
 * nulls), reference `_info` hrefs and record-level `*_href`s built from the public base URL.
 */

export type WireEntity =
  | 'company'
  | 'contact'
  | 'configuration'
  | 'agreement'
  | 'site'
  | 'ticket'
  | 'projectTicket'
  | 'companyType'
  | 'companyStatus'
  | 'contactType'
  | 'configurationType'
  | 'configurationStatus'
  | 'agreementType'
  | 'board'
  | 'boardStatus'
  | 'boardType'
  | 'priority'
  | 'source'
  | 'member'
  | 'catalogItem'
  | 'addition';

type Obj = Record<string, unknown>;

function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clean);
  if (v && typeof v === 'object') {
    const out: Obj = {};
    for (const [k, val] of Object.entries(v)) if (val !== null && val !== undefined) out[k] = clean(val);
    return out;
  }
  return v;
}

const REF_HREFS: Record<string, [string, (id: number) => string]> = {
  company: ['company_href', (id) => `/company/companies/${id}`],
  billToCompany: ['company_href', (id) => `/company/companies/${id}`],
  parentCompany: ['company_href', (id) => `/company/companies/${id}`],
  vendor: ['company_href', (id) => `/company/companies/${id}`],
  contact: ['contact_href', (id) => `/company/contacts/${id}`],
  defaultContact: ['contact_href', (id) => `/company/contacts/${id}`],
  billingContact: ['contact_href', (id) => `/company/contacts/${id}`],
  billToContact: ['contact_href', (id) => `/company/contacts/${id}`],
  country: ['country_href', (id) => `/company/countries/${id}`],
  territory: ['location_href', (id) => `/system/locations/${id}`],
  location: ['location_href', (id) => `/system/locations/${id}`],
  companyLocation: ['location_href', (id) => `/system/locations/${id}`],
  department: ['department_href', (id) => `/system/departments/${id}`],
  agreement: ['agreement_href', (id) => `/finance/agreements/${id}`],
  board: ['board_href', (id) => `/service/boards/${id}`],
  owner: ['member_href', (id) => `/system/members/${id}`],
  priority: ['priority_href', (id) => `/service/priorities/${id}`],
  billingCycle: ['billingCycle_href', (id) => `/finance/billingCycles/${id}`],
  billingTerms: ['billingTerms_href', (id) => `/finance/billingTerms/${id}`],
  manufacturer: ['manufacturer_href', (id) => `/procurement/manufacturers/${id}`],
  invoiceDeliveryMethod: ['deliveryMethod_href', (id) => `/finance/deliveryMethods/${id}`],
  // Catalog items and agreement additions (docs/psa/connectwise.md#billing-counts); href key names [INFER].
  product: ['product_href', (id) => `/procurement/catalog/${id}`],
  category: ['category_href', (id) => `/procurement/categories/${id}`],
  subcategory: ['subcategory_href', (id) => `/procurement/subcategories/${id}`],
  unitOfMeasure: ['uom_href', (id) => `/procurement/unitOfMeasures/${id}`],
  recurringBillCycle: ['billingCycle_href', (id) => `/finance/billingCycles/${id}`],
};

const STATUS_PATH: Partial<Record<WireEntity, string>> = {
  company: '/company/companies/statuses/',
  configuration: '/company/configurations/statuses/',
};
const TYPE_PATH: Partial<Record<WireEntity, string>> = {
  company: '/company/companies/types/',
  contact: '/company/contacts/types/',
  configuration: '/company/configurations/types/',
  agreement: '/finance/agreements/types/',
  catalogItem: '/procurement/types/',
};

export class Serializer {
  private readonly store: CwStore;

  constructor(store: CwStore) {
    this.store = store;
  }

  toWire(entity: WireEntity, row: CwRecord, api: string): Obj {
    const out = clean(row) as Obj;
    const setHref = (o: unknown, key: string, path: string) => {
      if (!o || typeof o !== 'object') return;
      const ref = o as Obj;
      ref._info = { ...((ref._info as Obj | undefined) ?? {}), [key]: api + path };
    };
    const companyId = entity === 'company' ? row.id : (row.company as { id?: number } | undefined)?.id;
    for (const [key, val] of Object.entries(out)) {
      if (!val || typeof val !== 'object' || Array.isArray(val) || key === '_info') continue;
      const id = (val as Obj).id as number;
      const fixed = REF_HREFS[key];
      if (fixed) setHref(val, fixed[0], fixed[1](id));
      if (key === 'site' || key === 'billingSite' || key === 'billToSite') setHref(val, 'site_href', `/company/companies/${companyId}/sites/${id}`);
      if (key === 'status') {
        const base =
          STATUS_PATH[entity] ?? (entity === 'ticket' ? `/service/boards/${(row.board as { id: number } | undefined)?.id ?? 1}/statuses/` : undefined);
        if (base) setHref(val, 'status_href', base + id);
      }
      if (key === 'type' && TYPE_PATH[entity]) setHref(val, 'type_href', `${TYPE_PATH[entity]}${id}`);
      if (key === 'company' || key === 'billToCompany') {
        // Company references in contacts/tickets also carry the company's mobileGuid (docs/psa/connectwise.md#record-conventions).
        const guid = this.store.companies.get(id)?.mobileGuid;
        if (typeof guid === 'string' && entity !== 'company') ((val as Obj)._info as Obj).mobileGuid = guid;
      }
    }
    if (Array.isArray(out.types) && TYPE_PATH[entity]) for (const t of out.types) setHref(t, 'type_href', `${TYPE_PATH[entity]}${(t as Obj).id as number}`);
    if (Array.isArray(out.communicationItems))
      for (const c of out.communicationItems)
        setHref((c as Obj).type, 'type_href', `/company/communicationTypes/${((c as Obj).type as Obj | undefined)?.id as number}`);
    out._info = { ...((out._info as Obj | undefined) ?? {}), ...this.recordHrefs(entity, row.id, api) };
    return out;
  }

  private recordHrefs(entity: WireEntity, id: number, api: string): Record<string, string> {
    const q = (path: string, cond: string) => `${api}${path}?conditions=${cond}`;
    switch (entity) {
      case 'company':
        return {
          contacts_href: q('/company/contacts', `company/id=${id}`),
          agreements_href: q('/finance/agreements', `company/id=${id}`),
          tickets_href: q('/service/tickets', `company/id=${id}`),
          opportunities_href: q('/sales/opportunities', `company/id=${id}`),
          activities_href: q('/sales/activities', `company/id=${id}`),
          projects_href: q('/project/projects', `company/id=${id}`),
          configurations_href: q('/company/configurations', `company/id=${id}`),
          orders_href: q('/sales/orders', `company/id=${id}`),
          documents_href: `${api}/system/documents?recordType=Company&recordId=${id}`,
          sites_href: `${api}/company/companies/${id}/sites`,
          teams_href: `${api}/company/companies/${id}/teams`,
          reports_href: `${api}/company/companies/${id}/managementSummaryReports`,
          notes_href: `${api}/company/companies/${id}/notes`,
        };
      case 'contact':
        return {
          communications_href: `${api}/company/contacts/${id}/communications`,
          notes_href: `${api}/company/contacts/${id}/notes`,
          tickets_href: q('/service/tickets', `contact/id=${id}`),
          opportunities_href: q('/sales/opportunities', `contact/id=${id}`),
          activities_href: q('/sales/activities', `contact/id=${id}`),
          configurations_href: q('/company/configurations', `contact/id=${id}`),
        };
      case 'ticket':
      case 'projectTicket': {
        const base = entity === 'ticket' ? 'service' : 'project';
        return {
          configurations_href: `${api}/${base}/tickets/${id}/configurations`,
          notes_href: `${api}/${base}/tickets/${id}/notes`,
          timeentries_href: `${api}/time/entries?conditions=(chargeToType='ServiceTicket' OR chargeToType='ProjectTicket') AND chargeToId=${id}`,
        };
      }
      case 'agreement':
        return {
          additions_href: `${api}/finance/agreements/${id}/additions`,
          configurations_href: `${api}/finance/agreements/${id}/configurations`,
          sites_href: `${api}/finance/agreements/${id}/sites`,
        };
      case 'configurationType':
        return { questions_href: `${api}/company/configurations/types/${id}/questions` };
      default:
        return {};
    }
  }
}

/** `fields=id,name,company/id,_info/lastUpdated` (keys matched case-insensitively). */
export function project(obj: Obj, fields: string[][]): Obj {
  const out: Obj = {};
  for (const path of fields) {
    let src: unknown = obj;
    let dst = out;
    for (let i = 0; i < path.length; i++) {
      if (!src || typeof src !== 'object' || Array.isArray(src)) break;
      const seg = (path[i] as string).toLowerCase();
      const key = Object.keys(src).find((k) => k.toLowerCase() === seg);
      if (key === undefined) break;
      const val = (src as Obj)[key];
      if (i === path.length - 1) {
        dst[key] = val;
      } else {
        if (!dst[key] || typeof dst[key] !== 'object') dst[key] = {};
        dst = dst[key] as Obj;
        src = val;
      }
    }
  }
  return out;
}

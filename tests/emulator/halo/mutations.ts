// Over 300 lines on purpose: every test-side edit of the live dataset; each stamps the same change-tracking columns, so the stamping rule is read in one place.
import type { Clock } from '../framework/clock.ts';
import { EMPTY_DATE, EMPTY_DATE_0001, EMPTY_TIME, haloDate, haloDateTime } from './dates.ts';
import { xtypeRow } from './dataset.ts';
import { ASSET_STATUSES } from './lookups.ts';
import type { AssetFieldKey, AssetTypeSpec } from './lookups.ts';
import type { HaloEntity, HaloRecord, HaloStore } from './store.ts';

/** The last-update column each entity carries (docs/psa/halo.md#filters-and-change-tracking). */
const STAMP_FIELD: Record<HaloEntity, string> = {
  client: 'alastupdate',
  site: 'slastupdate',
  user: 'ulastupdate',
  asset: 'dlastupdate',
  contract: 'last_modified',
  ticket: 'last_update',
};

/**
 * Test-side edits of the live dataset. Every change stamps the entity's last-update column from
 * the emulator clock (strictly increasing, later than any request already served).
 */
export class HaloMutator {
  private readonly store: HaloStore;
  private readonly clock: Clock;
  private readonly onChange: () => void;

  constructor(store: HaloStore, clock: Clock, onChange: () => void) {
    this.store = store;
    this.clock = clock;
    this.onChange = onChange;
  }

  private must(entity: HaloEntity, id: number): HaloRecord {
    const row = this.store.table(entity).get(id);
    if (!row) throw new Error(`${entity} ${id} not found`);
    return row;
  }

  private touch(entity: HaloEntity, row: HaloRecord): HaloRecord {
    row[STAMP_FIELD[entity]] = haloDateTime(this.clock.stamp());
    this.onChange();
    return row;
  }

  /** Users take "First Last"; assets rename their key field (device name); contracts their ref; tickets their summary. */
  rename(entity: HaloEntity, id: number, name: string): HaloRecord {
    const row = this.must(entity, id);
    switch (entity) {
      case 'user': {
        const sp = name.indexOf(' ');
        row.firstname = sp < 0 ? name : name.slice(0, sp);
        row.surname = sp < 0 ? '' : name.slice(sp + 1);
        row.name = name;
        row.initials = `${String(row.firstname).charAt(0)}${String(row.surname).charAt(0)}`;
        break;
      }
      case 'asset':
        row.key_field = name;
        (row._values as Partial<Record<AssetFieldKey, string>>).deviceName = name;
        break;
      case 'contract':
        row.ref = name;
        break;
      case 'ticket':
        row.summary = name;
        break;
      default:
        row.name = name;
    }
    return this.touch(entity, row);
  }

  /** Hard delete (Halo list calls do not report deletions: clients detect them by id-set difference). */
  remove(entity: HaloEntity, id: number): HaloRecord | null {
    this.must(entity, id);
    this.store.table(entity).delete(id);
    if (entity === 'asset') {
      for (const t of this.store.tickets.rows) {
        const linked = t._assets as number[] | undefined;
        if (linked?.includes(id)) linked.splice(linked.indexOf(id), 1);
      }
    }
    this.clock.stamp(); // later stamps stay strictly after the deletion
    this.onChange();
    return null;
  }

  setInactive(entity: HaloEntity, id: number, inactive = true): HaloRecord {
    const row = this.must(entity, id);
    if (entity === 'contract') {
      row.active = !inactive;
      row.contract_status = inactive ? 'Inactive' : row.expired ? 'Expired' : 'Active';
    } else if (entity === 'ticket') {
      throw new Error('tickets have no inactive flag; update status_id instead');
    } else {
      row.inactive = inactive;
      if (entity === 'asset') row.status_id = inactive ? 4 : 1;
    }
    return this.touch(entity, row);
  }

  /** Generic field update (wire names). `client_id` moves the record to another client. */
  update(entity: HaloEntity, id: number, patch: Record<string, unknown>): HaloRecord {
    const row = this.must(entity, id);
    const { id: _id, client_id, ...rest } = patch;
    if (client_id !== undefined && entity !== 'client') {
      const cid = Number(client_id);
      if (!this.store.clients.get(cid)) throw new Error(`client ${String(client_id)} not found`);
      this.store.table(entity).reparent(row, cid);
    }
    if ('name' in rest && entity === 'user' && typeof rest.name === 'string') {
      this.rename('user', id, rest.name);
      delete rest.name;
    }
    Object.assign(row, rest);
    if (entity === 'asset' && 'status_id' in rest) row.inactive = ASSET_STATUSES.find((s) => s.id === Number(rest.status_id))?.inactive ?? row.inactive;
    if (entity === 'ticket' && 'status_id' in rest) {
      const closed = Number(rest.status_id) === 9;
      row.hasbeenclosed = closed || row.hasbeenclosed === true;
      row.dateclosed = closed ? haloDateTime(this.clock.now()) : EMPTY_DATE;
    }
    return this.touch(entity, row);
  }

  /** Move an asset to another asset type (by id or name; an unknown name creates the type). */
  changeAssetType(id: number, type: string | number): HaloRecord {
    const row = this.must('asset', id);
    const s = this.store;
    let xt = typeof type === 'number' ? s.assetType(type) : s.assetTypes.find((t) => String(t.name).toLowerCase() === String(type).toLowerCase());
    if (!xt && typeof type === 'number') throw new Error(`asset type ${type} not found`);
    if (!xt) {
      const nextId = Math.max(0, ...s.assetTypes.map((t) => t.id)) + 1;
      const spec: AssetTypeSpec = {
        id: nextId,
        name: String(type),
        assetgroup_id: 3,
        icon: 'fa-cube',
        tagprefix: '',
        prefix: 'X',
        weight: 0,
        personal: false,
        keyfields: ['deviceName', 'serial', null],
        fields: ['deviceName', 'serial', 'model', 'manufacturer'],
        models: [['Generic', 'Device']],
      };
      s.assetTypeSpecs.set(spec.id, spec);
      xt = xtypeRow(spec, crypto.randomUUID());
      s.assetTypes.push(xt);
    }
    row.assettype_id = xt.id;
    const spec = s.assetTypeSpecs.get(xt.id);
    const values = row._values as Partial<Record<AssetFieldKey, string>>;
    const key = (k: AssetFieldKey | null | undefined) => (k ? (values[k] ?? '') : '');
    if (spec) {
      row.key_field = key(spec.keyfields[0]) || row.key_field;
      row.key_field2 = key(spec.keyfields[1]);
      row.key_field3 = key(spec.keyfields[2]);
    }
    return this.touch('asset', row);
  }

  /** Insert a record with a fresh id. `client_id` defaults to the first client. */
  add(entity: HaloEntity, partial: Record<string, unknown> = {}): HaloRecord {
    const s = this.store;
    const table = s.table(entity);
    const now = this.clock.stamp();
    const stamp = haloDateTime(now);
    const { id: _id, ...rest } = partial;
    const clientId = entity === 'client' ? undefined : Number(rest.client_id ?? s.clients.rows[0]?.id);
    if (clientId !== undefined && !s.clients.get(clientId)) throw new Error(`client ${clientId} not found`);
    const client = clientId === undefined ? undefined : s.clients.get(clientId);
    const mainSite = client ? (s.sites.get(Number(client.main_site_id)) ?? s.sites.children(client.id)[0]) : undefined;
    let base: Record<string, unknown>;
    switch (entity) {
      case 'client':
        base = {
          name: 'New Client',
          toplevel_id: 1,
          inactive: false,
          colour: '',
          notes: '',
          ref: '',
          is_vip: false,
          pritech: 0,
          sectech: 0,
          accountmanagertech: 0,
          customertype: 1,
          stopped: 0,
          taxable: true,
          website: '',
          main_phonenumber: '',
          accountsid: '',
          azure_tenant_id: '',
          itglue_id: '',
          xeroid: '',
          default_currency_code: 0,
          domain: '',
          main_site_id: 0,
          main_contact_id: 0,
          datecreated: stamp,
          customfields: [],
        };
        break;
      case 'site':
        base = {
          name: 'New Site',
          client_id: clientId,
          inactive: false,
          sla_id: 2,
          phonenumber: '',
          colour: '',
          timezone: 'Eastern Standard Time',
          invoice_address_isdelivery: true,
          notes: '',
          isstocklocation: false,
          messagegroup_id: 0,
          delivery_address: { line1: '', line2: '', line3: '', line4: '', line5: '', postcode: '' },
          country_code_name: '',
          region_code_name: '',
          ref: '',
          maincontact_id: 0,
          isinvoicesite: false,
          emaildomain: '',
          datecreated: stamp,
          customfields: [],
        };
        break;
      case 'user': {
        const name = typeof rest.name === 'string' ? rest.name : 'New User';
        const sp = name.indexOf(' ');
        base = {
          name,
          firstname: sp < 0 ? name : name.slice(0, sp),
          surname: sp < 0 ? '' : name.slice(sp + 1),
          initials: '',
          title: '',
          client_id: clientId,
          site_id: mainSite?.id ?? 0,
          emailaddress: '',
          phonenumber: '',
          mobilenumber: '',
          homenumber: '',
          mobilenumber2: '',
          fax: '',
          telpref: 0,
          login: '',
          inactive: false,
          colour: '',
          isimportantcontact: false,
          other1: '',
          other2: '',
          other3: '',
          other4: '',
          other5: '',
          notes: '',
          neversendemails: false,
          linked_agent_id: 0,
          covered_by_contract: false,
          isserviceaccount: false,
          web_access_level: 0,
          ismaincontact: false,
          datecreated: stamp,
          lastlogindate: EMPTY_DATE,
          customfields: [],
        };
        break;
      }
      case 'asset': {
        const deviceName = typeof rest.key_field === 'string' ? rest.key_field : 'NEW-DEVICE';
        base = {
          inventory_number: `AST${String(table.nextId()).padStart(6, '0')}`,
          key_field: deviceName,
          key_field2: '',
          key_field3: '',
          client_id: clientId,
          site_id: mainSite?.id ?? 0,
          first_user_id: 0,
          assettype_id: 130,
          status_id: 1,
          inactive: false,
          warranty_start: EMPTY_DATE,
          warranty_end: EMPTY_DATE,
          is_primary_asset: false,
          parent_id: 0,
          contract_id: 0,
          supplier_id: 0,
          sla_id: 0,
          priority_id: 0,
          notes: '',
          guid: crypto.randomUUID(),
          device_number: 1,
          datecreated: stamp,
          _values: { deviceName },
        };
        break;
      }
      case 'contract':
        base = {
          client_id: clientId,
          ref: 'NEW-CONTRACT',
          refextra: '',
          start_date: haloDate(now),
          end_date: haloDate(now.getTime() + 365 * 86_400_000),
          started: true,
          expired: false,
          active: true,
          contract_status: 'Active',
          status: 0,
          numberofunitsfree: 0,
          billingperiod: 1,
          billingdescription: 0,
          subtype: 0,
          site_id: 0,
          user_id: 0,
          sla_id: 1,
          periodicinvoicenextdate: EMPTY_DATE,
          next_invoice_date: EMPTY_DATE,
          periodchargeamount: 0,
          note: '',
          asset_value: 0,
          contracttype: 1,
          createdby_id: 1,
          customfields: [],
        };
        break;
      case 'ticket': {
        const user = s.users.children(clientId as number)[0];
        base = {
          dateoccurred: stamp,
          summary: 'New ticket',
          details: '',
          status_id: 1,
          tickettype_id: 1,
          sla_id: 2,
          priority_id: 3,
          client_id: clientId,
          site_id: user?.site_id ?? mainSite?.id ?? 0,
          user_id: user?.id ?? 0,
          team: 'Service Desk',
          agent_id: 0,
          category_1: '',
          category_2: '',
          category_3: '',
          category_4: '',
          onhold: false,
          respondbydate: EMPTY_DATE,
          responsedate: EMPTY_DATE,
          fixbydate: EMPTY_DATE,
          dateclosed: EMPTY_DATE,
          hasbeenclosed: false,
          dateassigned: EMPTY_DATE,
          excludefromsla: false,
          lastactiondate: stamp,
          lastincomingemail: EMPTY_DATE_0001,
          targetdate: EMPTY_DATE,
          targettime: EMPTY_TIME,
          startdate: EMPTY_DATE,
          starttime: EMPTY_TIME,
          deadlinedate: EMPTY_DATE,
          reportedby: user?.name ?? '',
          enduserstatus: 1,
          impact: 3,
          urgency: 3,
          contract_id: 0,
          customfields: [],
          _assets: [],
        };
        break;
      }
    }
    const row: HaloRecord = { ...base, ...rest, id: table.nextId(), [STAMP_FIELD[entity]]: stamp };
    if (clientId !== undefined) row.client_id = clientId;
    table.insert(row);
    this.onChange();
    return row;
  }
}

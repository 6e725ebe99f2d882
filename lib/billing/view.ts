import Dexie from 'dexie';
import type { SidecarDb } from '../db/schema';
import { HandledError } from '../errors';
import { agreementIsActive } from '../overlay-view/coverage';
import type { PsaAdapter } from '../psa/types';
import { nextBillingRun, readBillingSettings } from './settings';
import type { BillingView } from './view-model';

/** The options page's Billing panel: settings, the PSA's products, and each matched company's agreements and last outcome. */
export async function billingView(
  db: SidecarDb,
  integrationId: string,
  adapterFor: (id: string) => Promise<PsaAdapter>,
  now = Date.now(),
): Promise<BillingView> {
  const integration = await db.integrations.get(integrationId);
  if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
  const settings = readBillingSettings(integration.options?.billing);
  let products: BillingView['products'] = null;
  let productsError: string | undefined;
  let target: string | undefined;
  try {
    const writer = (await adapterFor(integrationId)).billing;
    if (!writer) productsError = `Sidecar cannot write billing counts to ${integration.label} yet.`;
    else {
      target = writer.target;
      products = await writer.products();
    }
  } catch (error) {
    productsError = error instanceof Error ? error.message : String(error);
  }
  const today = new Date(now).toISOString().slice(0, 10);
  const statuses = new Map(
    (await db.billingStatus.where('[integrationId+companyRemoteId]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).toArray()).map(
      (row) => [row.companyRemoteId, row],
    ),
  );
  const matches = await db.matches.where('[integrationId+state]').equals([integrationId, 'matched']).toArray();
  const companies: BillingView['companies'] = [];
  for (const match of matches) {
    const company = await db.records.get([integrationId, 'company', match.companyRemoteId]);
    if (!company || company.archivedAt !== undefined) continue;
    const rows = await db.records.where('[integrationId+entity+companyRemoteId]').equals([integrationId, 'agreement', match.companyRemoteId]).toArray();
    const live = rows.filter((row) => row.archivedAt === undefined);
    const agreements = live.map((row) => ({ remoteId: row.remoteId, name: (row.data as { name: string }).name, active: agreementIsActive(row, today) }));
    const active = agreements.filter((agreement) => agreement.active);
    const status = statuses.get(match.companyRemoteId);
    companies.push({
      remoteId: match.companyRemoteId,
      name: (company.data as { name: string }).name,
      agreements,
      ...(active.length === 1 ? { suggested: active[0]!.remoteId } : {}),
      ...(status ? { status: { lastSyncAt: status.lastSyncAt, status: status.status, detail: status.detail } } : {}),
    });
  }
  companies.sort((a, b) => a.name.localeCompare(b.name));
  return {
    settings,
    ...(target ? { target } : {}),
    products,
    ...(productsError ? { productsError } : {}),
    companies,
    ...(settings.enabled ? { nextRunAt: nextBillingRun(settings.schedule, new Date(now)).getTime() } : {}),
  };
}

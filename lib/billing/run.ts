import Dexie from 'dexie';
import type { BillingStatusRow, SidecarDb } from '../db/schema';
import { HandledError } from '../errors';
import type { AgreementLine, BillingProduct, BillingRequestPreview, BillingWriter } from '../psa/billing-writer';
import type { CanonicalAgreement, PsaAdapter } from '../psa/types';
import { countFor, describeCount } from './counts';
import { readBillingSettings, type BillingSettings } from './settings';

/**
 * Billing counts (#16, Password Boss's guide): for each matched company with a chosen agreement,
 * each mapped count against the quantity the agreement has now; a preview lists every change
 * (from -> to), a run writes only those, logging each write as it lands. PSA requests are never
 * made inside a Dexie transaction; one run at a time per browser (a Web Lock).
 */

export interface BillingDeps {
  db: SidecarDb;
  adapterFor(integrationId: string): Promise<PsaAdapter>;
  now?: () => number;
}

export interface BillingLinePlan {
  productId: string;
  productName: string;
  /** "Configurations in Workstations". */
  counted: string;
  /** What the agreement has now (or, where the PSA cannot say, what Sidecar last wrote); absent: no line yet. */
  from?: number;
  to: number;
  change: boolean;
  request: BillingRequestPreview;
  /** The agreement's line as read for this plan (absent: none yet). */
  line?: AgreementLine;
}

export interface BillingCompanyPlan {
  companyRemoteId: string;
  companyName: string;
  agreementRemoteId?: string;
  agreementName?: string;
  lines: BillingLinePlan[];
  /** Why nothing can be written for this company (no agreement chosen, none in the PSA, unreadable). */
  problem?: string;
}

export interface BillingPlan {
  target: string;
  companies: BillingCompanyPlan[];
  changes: number;
}

export interface BillingOutcome {
  updated: number;
  unchanged: number;
  companiesFailed: number;
  companiesSkipped: number;
}

const nameOf = (data: unknown) => (data as { name?: string }).name ?? '';

async function writerOf(deps: BillingDeps, integrationId: string): Promise<{ writer: BillingWriter; label: string; settings: BillingSettings }> {
  const integration = await deps.db.integrations.get(integrationId);
  if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
  const settings = readBillingSettings(integration.options?.billing);
  if (!settings.mappings.length) throw new HandledError('invalid', 'Map at least one count to a product first (Billing › Product mappings).');
  const adapter = await deps.adapterFor(integrationId);
  if (!adapter.billing) throw new HandledError('unsupported', `Sidecar cannot write billing counts to ${integration.label} yet.`);
  return { writer: adapter.billing, label: integration.label, settings };
}

/** The matched, live companies of the integration, by name. */
async function matchedCompanies(db: SidecarDb, integrationId: string) {
  const matches = await db.matches.where('[integrationId+state]').equals([integrationId, 'matched']).toArray();
  const rows = await db.records.bulkGet(matches.map((match) => [integrationId, 'company', match.companyRemoteId] as [string, 'company', string]));
  return rows
    .filter((row) => row && row.archivedAt === undefined)
    .map((row) => ({ remoteId: row!.remoteId, name: nameOf(row!.data) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The company's live agreements (the mapping offers them; the one active one is suggested). */
export async function companyAgreements(db: SidecarDb, integrationId: string, companyRemoteId: string) {
  const rows = await db.records.where('[integrationId+entity+companyRemoteId]').equals([integrationId, 'agreement', companyRemoteId]).toArray();
  return rows.filter((row) => row.archivedAt === undefined).map((row) => ({ remoteId: row.remoteId, data: row.data as CanonicalAgreement }));
}

export async function planBilling(deps: BillingDeps, integrationId: string): Promise<BillingPlan> {
  const { db } = deps;
  const { writer, label, settings } = await writerOf(deps, integrationId);
  const layoutRows = await db.layouts.toArray();
  const layouts = new Map(layoutRows.map((layout) => [layout.id, layout.name]));
  const fieldName = (layoutId: string, fieldId: string) =>
    layoutRows.find((layout) => layout.id === layoutId)?.fields?.find((field) => field.id === fieldId)?.name;
  const statuses = new Map(
    (await db.billingStatus.where('[integrationId+companyRemoteId]').between([integrationId, Dexie.minKey], [integrationId, Dexie.maxKey]).toArray()).map(
      (row) => [row.companyRemoteId, row],
    ),
  );
  const companies: BillingCompanyPlan[] = [];
  for (const company of await matchedCompanies(db, integrationId)) {
    const base = { companyRemoteId: company.remoteId, companyName: company.name, lines: [] as BillingLinePlan[] };
    const chosen = settings.companies[company.remoteId]?.agreementRemoteId;
    if (!chosen) {
      const agreements = await companyAgreements(db, integrationId, company.remoteId);
      const problem = agreements.length
        ? 'No agreement chosen: choose the one its counts go onto under Company mapping.'
        : `No agreement: ${label} has no agreement or contract for this company, so there is nothing to put the counts on.`;
      companies.push({ ...base, problem });
      continue;
    }
    const agreement = await db.records.get([integrationId, 'agreement', chosen]);
    if (!agreement || agreement.archivedAt !== undefined || agreement.companyRemoteId !== company.remoteId) {
      companies.push({
        ...base,
        agreementRemoteId: chosen,
        problem: `The chosen agreement is no longer this company’s in ${label}: choose another under Company mapping.`,
      });
      continue;
    }
    const agreementName = nameOf(agreement.data);
    let lines;
    try {
      lines = await writer.lines(
        chosen,
        company.remoteId,
        settings.mappings.map((mapping) => mapping.productId),
      );
    } catch (error) {
      companies.push({
        ...base,
        agreementRemoteId: chosen,
        agreementName,
        problem: `Could not read the agreement’s quantities: ${error instanceof Error ? error.message : String(error)}`,
      });
      continue;
    }
    const written = statuses.get(company.remoteId)?.written ?? {};
    for (const mapping of settings.mappings) {
      const product: BillingProduct = { id: mapping.productId, name: mapping.productName };
      const to = await countFor(db, integrationId, company.remoteId, mapping.count);
      const line = lines.find((item) => item.productId === mapping.productId);
      const from = line?.quantity ?? written[mapping.productId];
      const change = { companyRemoteId: company.remoteId, agreementRemoteId: chosen, product, ...(line ? { line } : {}), quantity: to };
      base.lines.push({
        productId: mapping.productId,
        productName: mapping.productName,
        counted: describeCount(mapping.count, (id) => layouts.get(id), fieldName),
        ...(from !== undefined ? { from } : {}),
        to,
        change: from !== to,
        request: writer.preview(change),
        ...(line ? { line } : {}),
      });
    }
    companies.push({ ...base, agreementRemoteId: chosen, agreementName });
  }
  return { target: writer.target, companies, changes: companies.reduce((sum, company) => sum + company.lines.filter((line) => line.change).length, 0) };
}

const LOCK = 'sidecar-billing';

/** Writes the changed quantities (nothing when the integration status is off), logging each. */
export async function runBilling(deps: BillingDeps, integrationId: string, trigger: 'manual' | 'schedule', by: string): Promise<BillingOutcome> {
  const work = () => applyBilling(deps, integrationId, trigger, by);
  return globalThis.navigator?.locks ? navigator.locks.request(LOCK, work) : work();
}

async function applyBilling(deps: BillingDeps, integrationId: string, trigger: 'manual' | 'schedule', by: string): Promise<BillingOutcome> {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const integration = await db.integrations.get(integrationId);
  if (!integration) throw new HandledError('not-found', 'That integration no longer exists.');
  if (!readBillingSettings(integration.options?.billing).enabled) {
    throw new HandledError('disabled', `Billing counts are off for ${integration.label}: nothing is sent. Turn them on first.`);
  }
  if (integration.disabled) throw new HandledError('disabled', `${integration.label} is turned off: turn it on to send billing counts.`);
  const { writer } = await writerOf(deps, integrationId);
  const plan = await planBilling(deps, integrationId);
  const outcome: BillingOutcome = { updated: 0, unchanged: 0, companiesFailed: 0, companiesSkipped: 0 };
  for (const company of plan.companies) {
    const key = [integrationId, company.companyRemoteId] as [string, string];
    const previous = await db.billingStatus.get(key);
    const status: BillingStatusRow = {
      integrationId,
      companyRemoteId: company.companyRemoteId,
      lastSyncAt: now(),
      status: 'ok',
      detail: '',
      written: { ...previous?.written },
    };
    if (company.problem) {
      outcome.companiesSkipped++;
      await db.billingStatus.put({ ...status, status: 'skipped', detail: company.problem });
      continue;
    }
    const done: string[] = [];
    let failure: string | undefined;
    for (const line of company.lines) {
      if (!line.change) {
        outcome.unchanged++;
        continue;
      }
      try {
        await writer.setQuantity({
          companyRemoteId: company.companyRemoteId,
          agreementRemoteId: company.agreementRemoteId!,
          product: { id: line.productId, name: line.productName },
          ...(line.line ? { line: line.line } : {}),
          quantity: line.to,
        });
      } catch (error) {
        failure = `${line.productName} was not updated (${line.from ?? 'none'} → ${line.to}): ${error instanceof Error ? error.message : String(error)}`;
        break;
      }
      outcome.updated++;
      status.written[line.productId] = line.to;
      done.push(`${line.productName} ${line.from ?? 'none'} → ${line.to}`);
      // Logged as it lands: a failure further on leaves every earlier write on record.
      await db.transaction('rw', db.billingLog, db.billingStatus, async () => {
        await db.billingLog.add({
          integrationId,
          companyRemoteId: company.companyRemoteId,
          companyName: company.companyName,
          agreementRemoteId: company.agreementRemoteId!,
          productId: line.productId,
          productName: line.productName,
          ...(line.from !== undefined ? { from: line.from } : {}),
          to: line.to,
          at: now(),
          by,
          trigger,
        });
        await db.billingStatus.put({ ...status, detail: `Updated so far: ${done.join('; ')}.` });
      });
    }
    if (failure) {
      outcome.companiesFailed++;
      await db.billingStatus.put({ ...status, status: 'failed', detail: done.length ? `${failure} Updated before that: ${done.join('; ')}.` : failure });
    } else {
      await db.billingStatus.put({
        ...status,
        detail: done.length ? `Updated ${done.join('; ')} on ${company.agreementName}.` : `Nothing changed on ${company.agreementName}.`,
      });
    }
  }
  return outcome;
}

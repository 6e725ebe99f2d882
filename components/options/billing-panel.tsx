import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getDb, type IntegrationRow } from '@/lib/db/schema';
import { request } from '@/lib/messaging/client';
import { billingSettingsSchema, type BillingMapping, type BillingSettings, type CountSpec } from '@/lib/billing/settings';
import type { BillingPlanWire, BillingView } from '@/lib/billing/view-model';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { Button } from '@/components/ui/button';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A count as one select value: "active-contacts", "layout:<id>", "field:<layout id>", "type". */
function countValue(count: CountSpec): string {
  switch (count.kind) {
    case 'active-contacts':
      return 'active-contacts';
    case 'configurations-in-layout':
      return `layout:${count.layoutId}`;
    case 'configurations-with-field':
      return `field:${count.layoutId}`;
    case 'configurations-of-type':
      return 'type';
  }
}

function countFromValue(value: string): CountSpec {
  if (value === 'active-contacts') return { kind: 'active-contacts' };
  if (value === 'type') return { kind: 'configurations-of-type', typeName: '' };
  if (value.startsWith('field:')) return { kind: 'configurations-with-field', layoutId: value.slice('field:'.length), fieldId: '', value: '' };
  return { kind: 'configurations-in-layout', layoutId: value.slice('layout:'.length) };
}

/** Suggested agreements fill companies nobody mapped yet; a person may set any back to none. */
function withSuggestions(view: BillingView): BillingSettings {
  const companies = { ...view.settings.companies };
  for (const company of view.companies)
    if (!companies[company.remoteId] && company.suggested) companies[company.remoteId] = { agreementRemoteId: company.suggested };
  return { ...view.settings, companies };
}

/**
 * Billing counts (#16, Password Boss's guide) for one integration: the integration status toggle,
 * product mappings (a count Sidecar computes -> a PSA product), the schedule, and per matched
 * company the agreement to update with its last sync and status; Preview (from -> to) and Sync now.
 */
export function BillingPanel({ integration }: { integration: IntegrationRow }) {
  const client = useQueryClient();
  const key = queryKeys.billing(integration.id);
  const loaded = useQuery({ queryKey: key, queryFn: () => request('billing.settings', { integrationId: integration.id }) });
  const layouts = useQuery({ queryKey: queryKeys.layouts(), queryFn: () => getDb().layouts.toArray() });
  const [draft, setDraft] = useState<BillingSettings>();
  const [plan, setPlan] = useState<BillingPlanWire>();
  // One message line: the outcome of the action last asked for.
  const [last, setLast] = useState<'save' | 'preview' | 'run'>('save');
  useEffect(() => {
    if (loaded.data && !draft) setDraft(withSuggestions(loaded.data));
  }, [loaded.data, draft]);
  const refresh = () => client.invalidateQueries({ queryKey: key });
  const saving = useAction(
    async (settings: BillingSettings) => {
      const checked = billingSettingsSchema.safeParse(settings);
      if (!checked.success) throw new Error(checked.error.issues[0]!.message);
      return request('billing.settings.save', { integrationId: integration.id, settings: checked.data });
    },
    { success: () => 'Billing settings saved.', onSuccess: refresh },
  );
  const previewing = useAction(() => request('billing.preview', { integrationId: integration.id }), { onSuccess: (result) => setPlan(result) });
  const running = useAction(() => request('billing.run', { integrationId: integration.id }), {
    success: (outcome) =>
      `Billing counts sent: ${outcome.updated} quantit${outcome.updated === 1 ? 'y' : 'ies'} updated, ${outcome.unchanged} unchanged` +
      `${outcome.companiesFailed ? `, ${outcome.companiesFailed} compan${outcome.companiesFailed === 1 ? 'y' : 'ies'} failed (see Status)` : ''}` +
      `${outcome.companiesSkipped ? `, ${outcome.companiesSkipped} skipped (see Status)` : ''}.`,
    onSuccess: () => {
      setPlan(undefined);
      return Promise.all([refresh(), client.invalidateQueries({ queryKey: queryKeys.billingLog(integration.id) })]);
    },
  });

  if (loaded.isPending || !draft) return <p className="muted">Loading billing counts…</p>;
  if (loaded.isError) return <p className="error">{loaded.error instanceof Error ? loaded.error.message : 'Billing counts could not be read.'}</p>;
  const view = loaded.data;
  const saved = JSON.stringify(draft) === JSON.stringify(view.settings);
  const setMapping = (index: number, mapping: BillingMapping) =>
    setDraft({ ...draft, mappings: draft.mappings.map((other, at) => (at === index ? mapping : other)) });

  return (
    <div className="sync-options" data-testid="billing-panel">
      <h4>Billing counts</h4>
      <label className="field">
        <input
          type="checkbox"
          checked={draft.enabled}
          onChange={(event) => setDraft({ ...draft, enabled: event.target.checked })}
          data-testid="billing-enabled"
        />{' '}
        <span>Send billing counts to {integration.label} (integration status). Off: nothing is sent; everything stays editable.</span>
      </label>
      {view.target ? <p className="hint">Counts go to the {view.target}.</p> : null}
      {view.productsError ? (
        <p className="error" role="alert">
          {view.productsError}
        </p>
      ) : null}

      <fieldset data-testid="billing-mappings">
        <legend>Product mappings</legend>
        {draft.mappings.map((mapping, index) => (
          <div className="actions" key={mapping.id} data-testid="billing-mapping">
            <select
              aria-label="What to count"
              value={countValue(mapping.count)}
              onChange={(event) => setMapping(index, { ...mapping, count: countFromValue(event.target.value) })}
            >
              <option value="active-contacts">Active contacts</option>
              {(layouts.data ?? [])
                .filter((layout) => layout.role === 'configurations' || layout.role === undefined)
                .map((layout) => (
                  <option key={layout.id} value={`layout:${layout.id}`}>
                    Configurations in layout “{layout.name}”
                  </option>
                ))}
              {(layouts.data ?? [])
                .filter((layout) => (layout.role === 'configurations' || layout.role === undefined) && layout.fields?.length)
                .map((layout) => (
                  <option key={`field-${layout.id}`} value={`field:${layout.id}`}>
                    Configurations in layout “{layout.name}” with a field value…
                  </option>
                ))}
              <option value="type">Configurations of a type…</option>
            </select>
            {mapping.count.kind === 'configurations-with-field' ? (
              <FieldValue
                count={mapping.count}
                fields={(layouts.data ?? []).find((layout) => layout.id === (mapping.count as { layoutId: string }).layoutId)?.fields ?? []}
                onChange={(count) => setMapping(index, { ...mapping, count })}
              />
            ) : null}
            {mapping.count.kind === 'configurations-of-type' ? (
              <input
                aria-label="Configuration type"
                placeholder="e.g. Server"
                value={mapping.count.typeName}
                onChange={(event) => setMapping(index, { ...mapping, count: { kind: 'configurations-of-type', typeName: event.target.value } })}
              />
            ) : null}
            <span>→</span>
            <select
              aria-label="PSA product"
              value={mapping.productId}
              onChange={(event) => {
                const product = view.products?.find((item) => item.id === event.target.value);
                setMapping(index, { ...mapping, productId: event.target.value, productName: product?.name ?? '' });
              }}
            >
              <option value="">Choose a product…</option>
              {(view.products ?? []).map((product) => (
                <option key={product.id} value={product.id}>
                  {product.name}
                </option>
              ))}
            </select>
            <button type="button" className="secondary" onClick={() => setDraft({ ...draft, mappings: draft.mappings.filter((_, at) => at !== index) })}>
              Remove
            </button>
          </div>
        ))}
        <Button
          type="button"
          className="secondary"
          disabled={!view.products?.length}
          onClick={() =>
            setDraft({
              ...draft,
              mappings: [...draft.mappings, { id: crypto.randomUUID(), count: { kind: 'active-contacts' }, productId: '', productName: '' }],
            })
          }
          data-testid="billing-mapping-add"
        >
          Add mapping
        </Button>
      </fieldset>

      <fieldset>
        <legend>Schedule</legend>
        <div className="actions">
          <select
            aria-label="How often"
            value={draft.schedule.frequency}
            onChange={(event) => setDraft({ ...draft, schedule: { ...draft.schedule, frequency: event.target.value as 'daily' | 'weekly' } })}
          >
            <option value="daily">Daily</option>
            <option value="weekly">Weekly</option>
          </select>
          {draft.schedule.frequency === 'weekly' ? (
            <select
              aria-label="Day"
              value={draft.schedule.weekday}
              onChange={(event) => setDraft({ ...draft, schedule: { ...draft.schedule, weekday: Number(event.target.value) } })}
            >
              {WEEKDAYS.map((day, index) => (
                <option key={day} value={index}>
                  {day}
                </option>
              ))}
            </select>
          ) : null}
          <input
            type="time"
            aria-label="Time"
            value={draft.schedule.time}
            onChange={(event) => setDraft({ ...draft, schedule: { ...draft.schedule, time: event.target.value } })}
          />
        </div>
        {view.nextRunAt && saved ? <p className="hint">Next scheduled send: {new Date(view.nextRunAt).toLocaleString()}.</p> : null}
      </fieldset>

      <fieldset>
        <legend>Company mapping (the agreement each matched company’s counts go onto)</legend>
        <table className="billing-companies" data-testid="billing-companies">
          <thead>
            <tr>
              <th>Company</th>
              <th>Agreement</th>
              <th>Last sync</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {view.companies.map((company) => (
              <tr key={company.remoteId} data-testid="billing-company" data-company={company.name}>
                <td>{company.name}</td>
                <td>
                  {company.agreements.length ? (
                    <select
                      aria-label={`Agreement for ${company.name}`}
                      value={draft.companies[company.remoteId]?.agreementRemoteId ?? ''}
                      onChange={(event) => {
                        const companies = { ...draft.companies };
                        if (event.target.value) companies[company.remoteId] = { agreementRemoteId: event.target.value };
                        else delete companies[company.remoteId];
                        setDraft({ ...draft, companies });
                      }}
                    >
                      <option value="">None: not billed</option>
                      {company.agreements.map((agreement) => (
                        <option key={agreement.remoteId} value={agreement.remoteId}>
                          {agreement.name}
                          {agreement.active ? ' (active)' : ''}
                          {company.suggested === agreement.remoteId ? ', suggested' : ''}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span className="muted">No agreement in the PSA</span>
                  )}
                </td>
                <td>{company.status ? new Date(company.status.lastSyncAt).toLocaleString() : 'Never'}</td>
                <td className={company.status?.status === 'failed' ? 'error' : undefined} data-testid="billing-company-status">
                  {company.status
                    ? `${company.status.status === 'ok' ? 'OK' : company.status.status === 'failed' ? 'Failed' : 'Skipped'}: ${company.status.detail}`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>

      <div className="actions">
        <button type="button" onClick={() => (setLast('save'), void saving.run(draft))} data-testid="billing-save">
          Save billing settings
        </button>
        <Button
          type="button"
          className="secondary"
          disabled={!saved || !draft.mappings.length}
          onClick={() => void previewing.run()}
          data-testid="billing-preview"
        >
          Preview
        </Button>
        <Button
          type="button"
          disabled={!saved || !draft.enabled || !draft.mappings.length}
          onClick={() => (setLast('run'), void running.run())}
          data-testid="billing-run"
        >
          Sync now
        </Button>
      </div>
      {!saved ? <p className="hint">Save the changes to preview or send them.</p> : null}
      <StatusMessage status={{ save: saving, preview: previewing, run: running }[last].status} testId="billing-message" />
      {plan ? <BillingPreview plan={plan} /> : null}
      <BillingLog integrationId={integration.id} />
    </div>
  );
}

type FieldCount = Extract<CountSpec, { kind: 'configurations-with-field' }>;

/** Which hand-filled field of the layout, and the value that counts (#10's field values). */
function FieldValue({ count, fields, onChange }: { count: FieldCount; fields: { id: string; name: string }[]; onChange: (count: FieldCount) => void }) {
  return (
    <>
      <select aria-label="Field" value={count.fieldId} onChange={(event) => onChange({ ...count, fieldId: event.target.value })}>
        <option value="">Choose the field…</option>
        {fields.map((field) => (
          <option key={field.id} value={field.id}>
            {field.name}
          </option>
        ))}
      </select>
      <input
        aria-label="Field value that counts"
        placeholder="e.g. Yes"
        value={count.value}
        onChange={(event) => onChange({ ...count, value: event.target.value })}
      />
    </>
  );
}

function BillingPreview({ plan }: { plan: BillingPlanWire }) {
  return (
    <section aria-label="Billing preview" data-testid="billing-plan">
      <h4>
        If sent now: {plan.changes} quantit{plan.changes === 1 ? 'y changes' : 'ies change'}
      </h4>
      <ul>
        {plan.companies.map((company) => (
          <li key={company.companyRemoteId} data-testid="billing-plan-company" data-company={company.companyName}>
            <strong>{company.companyName}</strong>
            {company.agreementName ? ` (${company.agreementName})` : ''}:{' '}
            {company.problem ?? (
              <ul>
                {company.lines.map((line) => (
                  <li key={line.productId} data-testid="billing-plan-line">
                    {line.productName} ({line.counted}): {line.from ?? 'none'} → {line.to}
                    {line.change ? '' : ' (no change: not sent)'}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function BillingLog({ integrationId }: { integrationId: string }) {
  const log = useQuery({ queryKey: queryKeys.billingLog(integrationId), queryFn: () => request('billing.log', { integrationId }) });
  const entries = log.data?.entries ?? [];
  if (!entries.length) return null;
  return (
    <section aria-label="Billing writes" data-testid="billing-log">
      <h4>Written</h4>
      <ul>
        {entries.slice(0, 50).map((entry, index) => (
          <li key={index} data-testid="billing-log-entry">
            {new Date(entry.at).toLocaleString()}: {entry.companyName}, {entry.productName} {entry.from ?? 'none'} → {entry.to} ({entry.by},{' '}
            {entry.trigger === 'schedule' ? 'on schedule' : 'Sync now'})
          </li>
        ))}
      </ul>
    </section>
  );
}

import { useState } from 'react';
import type { IntegrationRow } from '@/lib/db/schema';
import { request } from '@/lib/messaging/client';
import { VENDOR_LIMITS } from '@/lib/psa/rate-limits';
import { describeRate } from '@/lib/psa/pacing';
import { effectiveOptions } from '@/lib/sync/options';
import { API_SHARE_RANGE, apiSharePercentSchema } from '@/lib/sync/options-schema';
import type { SyncOptionsInput } from '@/lib/sync/options-service';
import type { ChangePreview } from '@/lib/db/change-preview';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { PreviewPanel } from './preview-panel';

const SKIPS: { key: 'contacts' | 'agreements' | 'configurations' | 'sites' | 'inactiveConfigurations'; label: string }[] = [
  { key: 'contacts', label: 'Skip contacts' },
  { key: 'agreements', label: 'Skip agreements / contracts' },
  { key: 'configurations', label: 'Skip configurations / assets' },
  { key: 'inactiveConfigurations', label: 'Skip inactive configurations' },
  { key: 'sites', label: 'Skip sites / locations' },
];

/** Hudu's skip options and additional options for one integration. */
export function SkipOptions({ integration, types, companyTypes }: { integration: IntegrationRow; types: string[]; companyTypes: string[] }) {
  const [draft, setDraft] = useState<SyncOptionsInput>(() => {
    const current = effectiveOptions(integration.options);
    return {
      skip: current.skip,
      autoUpdateNames: current.autoUpdateNames,
      autoArchiveDeletedDevices: current.autoArchiveDeletedDevices,
      keepCompanyDetails: current.keepCompanyDetails,
      apiSharePercent: current.apiSharePercent,
    };
  });
  const [preview, setPreview] = useState<ChangePreview>();
  const change = (next: SyncOptionsInput) => {
    setDraft(next);
    setPreview(undefined); // a preview speaks for the options it was made from
  };
  // Saving and previewing share one message line.
  const optionsAction = useAction(
    async (which: 'save' | 'preview') =>
      which === 'save'
        ? { kind: 'saved' as const, ...(await request('integration.syncOptions', { integrationId: integration.id, options: draft })) }
        : { kind: 'preview' as const, preview: await request('integration.syncOptions.preview', { integrationId: integration.id, options: draft }) },
    {
      onSuccess: (result) => setPreview(result.kind === 'preview' ? result.preview : undefined),
      success: (result) => {
        if (result.kind !== 'saved') return undefined;
        const { archived } = result;
        return `Options saved${archived ? `; ${archived} record${archived === 1 ? '' : 's'} archived` : ''}. They apply from the next sync.`;
      },
    },
  );
  const shareProblem = apiSharePercentSchema.safeParse(draft.apiSharePercent).error?.issues[0]?.message;
  /** Refused here, at the field, before asking the background (which checks again). */
  const checkedRun = (which: 'save' | 'preview') => {
    if (shareProblem) optionsAction.refuse(shareProblem);
    else void optionsAction.run(which);
  };
  const save = () => checkedRun('save');
  const skippedTypes = new Set(draft.skip.configurationTypes.map((type) => type.toLowerCase()));
  const allTypes = [...new Set([...types, ...draft.skip.configurationTypes])].sort((a, b) => a.localeCompare(b));
  const skippedCompanyTypes = new Set((draft.skip.companyTypes ?? []).map((type) => type.toLowerCase()));
  const allCompanyTypes = [...new Set([...companyTypes, ...(draft.skip.companyTypes ?? [])])].sort((a, b) => a.localeCompare(b));

  return (
    <fieldset className="skip-options" data-testid="skip-options">
      <legend>Skip and additional options</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={!!draft.skip.inactiveCompanies}
          onChange={(event) => change({ ...draft, skip: { ...draft.skip, inactiveCompanies: event.target.checked } })}
        />
        Skip inactive companies
      </label>
      <div role="group" aria-label="Company types to skip">
        <span className="muted">Company types to skip{allCompanyTypes.length ? '' : ': available after the first import'}</span>
        {allCompanyTypes.map((type) => (
          <label key={type} className="check">
            <input
              type="checkbox"
              checked={skippedCompanyTypes.has(type.toLowerCase())}
              onChange={(event) => {
                const current = draft.skip.companyTypes ?? [];
                change({
                  ...draft,
                  skip: {
                    ...draft.skip,
                    companyTypes: event.target.checked ? [...current, type] : current.filter((other) => other.toLowerCase() !== type.toLowerCase()),
                  },
                });
              }}
            />
            {type}
          </label>
        ))}
      </div>
      {SKIPS.map(({ key, label }) => (
        <label key={key} className="check">
          <input type="checkbox" checked={draft.skip[key]} onChange={(event) => change({ ...draft, skip: { ...draft.skip, [key]: event.target.checked } })} />
          {label}
        </label>
      ))}
      <div role="group" aria-label="Configuration types to skip">
        <span className="muted">Configuration types to skip{allTypes.length ? '' : ': available after the first import'}</span>
        {allTypes.map((type) => (
          <label key={type} className="check">
            <input
              type="checkbox"
              checked={skippedTypes.has(type.toLowerCase())}
              onChange={(event) =>
                change({
                  ...draft,
                  skip: {
                    ...draft.skip,
                    configurationTypes: event.target.checked
                      ? [...draft.skip.configurationTypes, type]
                      : draft.skip.configurationTypes.filter((other) => other.toLowerCase() !== type.toLowerCase()),
                  },
                })
              }
            />
            {type}
          </label>
        ))}
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.autoUpdateNames} onChange={(event) => change({ ...draft, autoUpdateNames: event.target.checked })} />
        Auto-update names of assets (a rename in the PSA renames the record)
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.autoArchiveDeletedDevices}
          onChange={(event) => change({ ...draft, autoArchiveDeletedDevices: event.target.checked })}
        />
        Auto-archive deleted devices (off: they stay in place, flagged)
      </label>
      <label className="check">
        <input type="checkbox" checked={draft.keepCompanyDetails} onChange={(event) => change({ ...draft, keepCompanyDetails: event.target.checked })} />
        Do not update basic company details (name, address, phone, website)
      </label>
      <label className="field">
        <span>Share of the PSA's API rate limit Sidecar may use (%)</span>
        <input
          type="number"
          min={API_SHARE_RANGE.min}
          max={API_SHARE_RANGE.max}
          step={1}
          value={Number.isFinite(draft.apiSharePercent) ? draft.apiSharePercent : ''}
          aria-invalid={!!shareProblem}
          onChange={(event) => change({ ...draft, apiSharePercent: event.target.valueAsNumber })}
        />
        <small className="muted" data-testid="api-share-hint">
          {rateHint(integration.psa, draft.apiSharePercent)}
        </small>
      </label>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => checkedRun('preview')}>
          Preview option changes
        </button>
        <button type="button" onClick={save}>
          Save options
        </button>
      </div>
      {preview ? <PreviewPanel title="If these options were saved" preview={preview} onApply={save} onCancel={() => setPreview(undefined)} /> : null}
      <StatusMessage status={optionsAction.status} testId="skip-options-message" />
    </fieldset>
  );
}

/** "ConnectWise allows 1,000 requests a minute; Sidecar's syncs will make at most 500." */
function rateHint(psa: IntegrationRow['psa'], percent: number | undefined): string {
  const limit = VENDOR_LIMITS[psa];
  const per = limit.per === 'endpoint' ? ' per endpoint' : '';
  const allowed = `The PSA allows ${describeRate(limit)}${per}`;
  if (percent === undefined || !Number.isFinite(percent)) return `${allowed}.`;
  const share = Math.floor((limit.limit * percent) / 100);
  return `${allowed}; Sidecar's syncs will make at most ${share.toLocaleString('en')}, leaving the rest to your other integrations.`;
}

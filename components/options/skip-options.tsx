import { useState } from 'react';
import type { IntegrationRow } from '@/lib/db/schema';
import { request } from '@/lib/messaging/client';
import { effectiveOptions } from '@/lib/sync/options';
import type { SyncOptionsInput } from '@/lib/sync/options-service';
import type { ChangePreview } from '@/lib/sync/preview';
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
    return { skip: current.skip, autoUpdateNames: current.autoUpdateNames, autoArchiveDeletedDevices: current.autoArchiveDeletedDevices, keepCompanyDetails: current.keepCompanyDetails };
  });
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [preview, setPreview] = useState<ChangePreview>();
  const change = (next: SyncOptionsInput) => {
    setDraft(next);
    setPreview(undefined); // a preview speaks for the options it was made from
  };
  const fail = (error: unknown) => setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
  const save = () => {
    setMessage(undefined);
    request('integration.syncOptions', { integrationId: integration.id, options: draft })
      .then(({ archived }) => {
        setPreview(undefined);
        setMessage({ kind: 'ok', text: `Options saved${archived ? `; ${archived} record${archived === 1 ? '' : 's'} archived` : ''}. They apply from the next sync.` });
      })
      .catch(fail);
  };
  const skippedTypes = new Set(draft.skip.configurationTypes.map((type) => type.toLowerCase()));
  const allTypes = [...new Set([...types, ...draft.skip.configurationTypes])].sort((a, b) => a.localeCompare(b));
  const skippedCompanyTypes = new Set((draft.skip.companyTypes ?? []).map((type) => type.toLowerCase()));
  const allCompanyTypes = [...new Set([...companyTypes, ...(draft.skip.companyTypes ?? [])])].sort((a, b) => a.localeCompare(b));

  return (
    <fieldset className="skip-options" data-testid="skip-options">
      <legend>Skip and additional options</legend>
      <label className="check">
        <input type="checkbox" checked={!!draft.skip.inactiveCompanies} onChange={(event) => change({ ...draft, skip: { ...draft.skip, inactiveCompanies: event.target.checked } })} />
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
                  skip: { ...draft.skip, companyTypes: event.target.checked ? [...current, type] : current.filter((other) => other.toLowerCase() !== type.toLowerCase()) },
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
                    configurationTypes: event.target.checked ? [...draft.skip.configurationTypes, type] : draft.skip.configurationTypes.filter((other) => other.toLowerCase() !== type.toLowerCase()),
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
        <input type="checkbox" checked={draft.autoArchiveDeletedDevices} onChange={(event) => change({ ...draft, autoArchiveDeletedDevices: event.target.checked })} />
        Auto-archive deleted devices (off: they stay in place, flagged)
      </label>
      <label className="check">
        <input type="checkbox" checked={draft.keepCompanyDetails} onChange={(event) => change({ ...draft, keepCompanyDetails: event.target.checked })} />
        Do not update basic company details (name, address, phone, website)
      </label>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setMessage(undefined);
            request('integration.syncOptions.preview', { integrationId: integration.id, options: draft }).then(setPreview).catch(fail);
          }}
        >
          Preview option changes
        </button>
        <button type="button" onClick={save}>
          Save options
        </button>
      </div>
      {preview ? <PreviewPanel title="If these options were saved" preview={preview} onApply={save} onCancel={() => setPreview(undefined)} /> : null}
      {message ? (
        <p className={message.kind} role="status" data-testid="skip-options-message">
          {message.text}
        </p>
      ) : null}
    </fieldset>
  );
}

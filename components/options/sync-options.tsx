import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { getDb, type IntegrationRow, type SyncLocations } from '@/lib/db/schema';
import { locationsOf, placeConfigurationType } from '@/lib/layouts/placement';
import { request } from '@/lib/messaging/client';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { useLive } from '@/components/ui/use-live';
import type { ChangePreview } from '@/lib/db/change-preview';
import { ConnectedFields } from './connected-fields';
import { useImportedFacts } from './use-imported-facts';
import { PreviewPanel } from './preview-panel';
import { SkipOptions } from './skip-options';
import { Button } from '@/components/ui/button';

type DraftRule = { key: string; typeName: string; layoutId: string };

const LOCATION_LABELS: { key: keyof SyncLocations; label: string }[] = [
  { key: 'people', label: 'Contacts go to' },
  { key: 'locations', label: 'Sites go to' },
  { key: 'configurations', label: 'Primary location (configurations no rule places)' },
];

async function loadSyncOptions(integrationId: string) {
  const db = getDb();
  const [layouts, rules] = await Promise.all([db.layouts.toArray(), db.sortRules.where('integrationId').equals(integrationId).sortBy('order')]);
  return { layouts, rules };
}

const reSorted = (done: string, moved: number) => `${done} ${moved} synced record${moved === 1 ? '' : 's'} re-sorted.`;

/** Sync locations, sort rules (with a tester) for one integration. */
export function SyncOptions({ integration }: { integration: IntegrationRow }) {
  const data = useLive(queryKeys.syncOptions(integration.id), () => loadSyncOptions(integration.id));
  const facts = useImportedFacts(integration);
  // The PSA's own type list: offered before any configuration is imported.
  const psaTypes = useQuery({
    queryKey: queryKeys.psaTypes(integration.id),
    queryFn: () => request('integration.configurationTypes', { integrationId: integration.id }),
    staleTime: 5 * 60_000,
  });
  const [drafts, setDrafts] = useState<DraftRule[]>();
  const [newLayout, setNewLayout] = useState('');
  const [testType, setTestType] = useState('');
  // Locations, rules and new layouts share one message line: each step's work answers with its sentence.
  const placementAction = useAction((work: () => Promise<string | undefined>) => work(), { success: (text) => text });
  const fieldErrors = placementAction.fieldErrors;
  const [rulesPreview, setRulesPreview] = useState<ChangePreview>();
  // Like the rules and the skip options: a change is a draft until its Save (#18: they saved three ways).
  const [locationDraft, setLocationDraft] = useState<SyncLocations>();
  const locations = locationDraft ?? locationsOf(integration.options);

  const rules = useMemo<DraftRule[]>(
    () => drafts ?? (data.data?.rules ?? []).map((rule) => ({ key: rule.id, typeName: rule.typeName, layoutId: rule.layoutId })),
    [drafts, data.data],
  );
  if (!data.data || !facts.data) return <p className="muted">Loading…</p>;
  const { layouts } = data.data;
  const { companyTypes } = facts.data;
  const types = [...new Set([...facts.data.configurationTypes, ...(psaTypes.data?.types ?? [])])].sort((a, b) => a.localeCompare(b));
  const active = layouts.filter((layout) => layout.active);
  const layoutName = (id: string | undefined) => layouts.find((layout) => layout.id === id)?.name ?? 'nothing (no active layout)';
  const edit = (next: DraftRule[]) => {
    setDrafts(next);
    setRulesPreview(undefined); // a preview speaks for the rules it was made from
  };
  const draftRules = () => rules.map(({ typeName, layoutId }) => ({ typeName, layoutId }));
  const saveRules = () =>
    void placementAction.run(async () => {
      const { moved } = await request('rules.save', { integrationId: integration.id, rules: draftRules() });
      setDrafts(undefined);
      setRulesPreview(undefined);
      return reSorted('Rules saved;', moved);
    });
  const previewRules = () =>
    placementAction.run(async () => {
      setRulesPreview(await request('rules.preview', { integrationId: integration.id, rules: draftRules() }));
      return undefined;
    });
  const saveLocations = (syncLocations: SyncLocations) =>
    void placementAction.run(async () => {
      const { moved } = await request('integration.locations', { integrationId: integration.id, syncLocations });
      setLocationDraft(undefined);
      return reSorted('Sync locations saved;', moved);
    });
  const createLayout = () =>
    void placementAction.run(async () => {
      const { layoutId } = await request('layouts.save', { layout: { name: newLayout, active: true, fields: [] } });
      edit([...rules, { key: crypto.randomUUID(), typeName: testType, layoutId }]);
      setNewLayout('');
      return `Layout "${newLayout.trim()}" created.`;
    });

  const placement = testType.trim()
    ? placeConfigurationType(testType, {
        rules: rules.map((rule, order) => ({ id: rule.key, integrationId: integration.id, order, typeName: rule.typeName, layoutId: rule.layoutId })),
        locations,
        layouts: new Map(layouts.map((layout) => [layout.id, layout])),
      })
    : undefined;

  return (
    <div className="sync-options" data-testid="sync-options">
      <h4>Sync locations</h4>
      {LOCATION_LABELS.map(({ key, label }) => (
        <label key={key} className="field">
          <span>{label}</span>
          <select aria-label={label} value={locations[key]} onChange={(event) => setLocationDraft({ ...locations, [key]: event.target.value })}>
            {active.map((layout) => (
              <option key={layout.id} value={layout.id}>
                {layout.name}
              </option>
            ))}
          </select>
          {fieldErrors[key] ? <small className="error">{fieldErrors[key]}</small> : null}
        </label>
      ))}
      <div className="actions">
        <Button type="button" disabled={!locationDraft} onClick={() => locationDraft && saveLocations(locationDraft)}>
          Save sync locations
        </Button>
      </div>

      <h4>Sort rules</h4>
      <p className="muted">The first rule for a configuration type decides its layout; types without a rule go to the primary location.</p>
      {psaTypes.data?.note ? (
        <p className="muted" data-testid="types-note">
          {psaTypes.data.note}
        </p>
      ) : null}
      <datalist id={`types-${integration.id}`}>
        {types.map((type) => (
          <option key={type} value={type} />
        ))}
      </datalist>
      <ol className="rules">
        {rules.map((rule, index) => (
          <li key={rule.key} data-testid="sort-rule">
            <input
              aria-label={`Rule ${index + 1} type`}
              list={`types-${integration.id}`}
              value={rule.typeName}
              placeholder="Configuration type"
              onChange={(event) => edit(rules.map((other) => (other.key === rule.key ? { ...other, typeName: event.target.value } : other)))}
            />
            {' → '}
            <select
              aria-label={`Rule ${index + 1} layout`}
              value={rule.layoutId}
              onChange={(event) => edit(rules.map((other) => (other.key === rule.key ? { ...other, layoutId: event.target.value } : other)))}
            >
              {active.map((layout) => (
                <option key={layout.id} value={layout.id}>
                  {layout.name}
                </option>
              ))}
            </select>
            <Button
              type="button"
              aria-label={`Move rule ${index + 1} up`}
              disabled={index === 0}
              onClick={() => edit(rules.toSpliced(index - 1, 2, rules[index]!, rules[index - 1]!))}
            >
              ↑
            </Button>
            <Button
              type="button"
              aria-label={`Move rule ${index + 1} down`}
              disabled={index === rules.length - 1}
              onClick={() => edit(rules.toSpliced(index, 2, rules[index + 1]!, rules[index]!))}
            >
              ↓
            </Button>
            <button type="button" aria-label={`Delete rule ${index + 1}`} onClick={() => edit(rules.filter((other) => other.key !== rule.key))}>
              ✕
            </button>
            {fieldErrors[`rule-${index}`] ? <small className="error"> {fieldErrors[`rule-${index}`]}</small> : null}
          </li>
        ))}
      </ol>
      <div className="actions">
        <button type="button" onClick={() => edit([...rules, { key: crypto.randomUUID(), typeName: '', layoutId: locations.configurations }])}>
          Add rule
        </button>
        <input
          aria-label="Name of a layout to create"
          placeholder="New layout for a rule"
          value={newLayout}
          onChange={(event) => setNewLayout(event.target.value)}
        />
        <Button type="button" disabled={!newLayout.trim()} onClick={createLayout}>
          Create layout and add a rule
        </Button>
        <Button type="button" className="secondary" disabled={!drafts} onClick={() => void previewRules()}>
          Preview rule changes
        </Button>
        <Button type="button" disabled={!drafts} onClick={saveRules}>
          Save rules
        </Button>
      </div>
      {rulesPreview ? (
        <PreviewPanel title="If these rules were saved" preview={rulesPreview} onApply={saveRules} onCancel={() => setRulesPreview(undefined)} />
      ) : null}

      <h4>Rule tester</h4>
      <label className="field">
        <span>Configuration type</span>
        <input
          aria-label="Configuration type to test"
          list={`types-${integration.id}`}
          value={testType}
          onChange={(event) => setTestType(event.target.value)}
        />
      </label>
      {placement ? (
        <p data-testid="rule-tester-result" role="status">
          Lands in <strong>{layoutName(placement.layoutId)}</strong>
          {placement.reason.kind === 'rule'
            ? ` — rule ${placement.reason.position} (${placement.reason.rule.typeName})${drafts ? ', unsaved' : ''}.`
            : placement.reason.kind === 'location'
              ? ': no rule matches, so the primary location.'
              : '.'}
        </p>
      ) : null}
      <StatusMessage status={placementAction.status} testId="sync-options-message" />

      <ConnectedFields integration={integration} />
      <SkipOptions integration={integration} types={types} companyTypes={companyTypes} />
    </div>
  );
}

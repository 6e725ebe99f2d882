import { useState } from 'react';
import { getDb, type IntegrationRow } from '@/lib/db/schema';
import { fieldKey } from '@/lib/layouts/connected-fields';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useRequestAction } from '@/components/ui/use-action';
import { useLive } from '@/components/ui/use-live';
import { useImportedFacts } from './use-imported-facts';
import { Button } from '@/components/ui/button';

/** Connect PSA fields to layouts' custom fields, for one integration. */
export function ConnectedFields({ integration }: { integration: IntegrationRow }) {
  const db = getDb();
  const layoutsWithFields = useLive(queryKeys.connectedFields(integration.id), async () =>
    (await db.layouts.toArray()).filter((layout) => layout.active && layout.fields?.length),
  );
  const facts = useImportedFacts(integration);
  const saved = Object.fromEntries(
    (integration.options?.connectedFields ?? []).map((connection) => [fieldKey(connection.layoutId, connection.fieldId), connection.source]),
  );
  const [draft, setDraft] = useState<Record<string, string>>();
  const saving = useRequestAction('fields.connect', {
    onSuccess: () => setDraft(undefined),
    success: ({ connected }) => `${connected} field${connected === 1 ? '' : 's'} connected. The overlay shows them now; no resync needed.`,
  });
  const errors = saving.fieldErrors;
  if (!layoutsWithFields.data || !facts.data) return <p className="muted">Loading…</p>;
  const layouts = layoutsWithFields.data;
  const sources = facts.data.fieldSources;
  const current = draft ?? saved;

  const save = () => {
    const connections = layouts.flatMap((layout) =>
      (layout.fields ?? []).map((field) => ({ layoutId: layout.id, fieldId: field.id, source: current[fieldKey(layout.id, field.id)] ?? '' })),
    );
    return saving.run({ integrationId: integration.id, connections });
  };

  return (
    <div data-testid="connected-fields">
      <h4>Connected fields</h4>
      {layouts.length === 0 ? (
        <p className="muted">Add custom fields to a layout (Asset layouts, above) to connect PSA fields to them.</p>
      ) : sources.length === 0 ? (
        <p className="muted">PSA fields are offered after the first import of contacts, configurations or sites.</p>
      ) : (
        <>
          <p className="muted">Each custom field shows the PSA field you choose, in the overlay’s lists and its search.</p>
          <table>
            <thead>
              <tr>
                <th scope="col">Layout field</th>
                <th scope="col">PSA field</th>
              </tr>
            </thead>
            <tbody>
              {layouts.flatMap((layout) =>
                (layout.fields ?? []).map((field) => {
                  const key = fieldKey(layout.id, field.id);
                  const label = `PSA field for ${layout.name} ${field.name}`;
                  const value = current[key] ?? '';
                  return (
                    <tr key={key} data-testid="connected-field">
                      <td>
                        {layout.name} · {field.name}
                      </td>
                      <td>
                        <select aria-label={label} value={value} onChange={(event) => setDraft({ ...current, [key]: event.target.value })}>
                          <option value="">Not connected</option>
                          {/* A saved source no longer seen in the data stays selectable. */}
                          {[...new Set([...sources, ...(value ? [value] : [])])].map((source) => (
                            <option key={source} value={source}>
                              {source}
                            </option>
                          ))}
                        </select>
                        {errors[key] ? <small className="error"> {errors[key]}</small> : null}
                      </td>
                    </tr>
                  );
                }),
              )}
            </tbody>
          </table>
          <div className="actions">
            <Button type="button" disabled={!draft} onClick={() => void save()}>
              Save connected fields
            </Button>
          </div>
        </>
      )}
      <StatusMessage status={saving.status} testId="connected-fields-message" />
    </div>
  );
}

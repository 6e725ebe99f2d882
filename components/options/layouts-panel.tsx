import { useState } from 'react';
import { getDb, type LayoutRow } from '@/lib/db/schema';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useRequestAction } from '@/components/ui/use-action';
import { useLive } from '@/components/ui/use-live';
import { FIELD_TYPE_LABELS, FIELD_TYPES, type FieldType } from '@/lib/layouts/field-types';
import { Button } from '@/components/ui/button';

/** A layout as the options page saves it (its fields with their types, lib/layouts/field-types.ts). */
type LayoutInputFields = {
  id?: string;
  name: string;
  active: boolean;
  fields: { id?: string; name: string; type?: FieldType; options?: string[] }[];
};

/** Asset layouts: create, rename, add custom fields, mark active or inactive. */
export function LayoutsPanel() {
  const db = getDb();
  const layouts = useLive(queryKeys.layouts(), () =>
    db.layouts
      .orderBy('id')
      .toArray()
      .then((rows) => rows.sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name))),
  );
  const [name, setName] = useState('');
  const saving = useRequestAction('layouts.save', {
    success: (result) => `Saved${result.moved ? `; ${result.moved} record${result.moved === 1 ? '' : 's'} re-sorted` : ''}.`,
  });
  const save = (layout: LayoutInputFields) => saving.run({ layout });

  return (
    <section className="card" aria-label="Asset layouts" data-testid="layouts">
      <p className="muted">Only active layouts can receive records. Sync locations and sort rules are set per integration.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Layout</th>
            <th scope="col">Custom fields</th>
            <th scope="col">Active</th>
          </tr>
        </thead>
        <tbody>
          {(layouts.data ?? []).map((layout) => (
            <LayoutRowView key={`${layout.id}:${layout.name}`} layout={layout} onSave={save} />
          ))}
        </tbody>
      </table>
      <form
        className="actions"
        aria-label="New layout"
        onSubmit={(event) => {
          event.preventDefault();
          void save({ name, active: true, fields: [] }).then((ok) => ok && setName(''));
        }}
      >
        <input aria-label="New layout name" placeholder="New layout name" value={name} onChange={(event) => setName(event.target.value)} />
        <button type="submit">Create layout</button>
      </form>
      <StatusMessage status={saving.status} testId="layouts-message" />
    </section>
  );
}

function LayoutRowView({ layout, onSave }: { layout: LayoutRow; onSave: (layout: LayoutInputFields & { id: string }) => Promise<boolean> }) {
  const [name, setName] = useState(layout.name);
  const [field, setField] = useState('');
  const [type, setType] = useState<FieldType>('text');
  const [choices, setChoices] = useState('');
  const fields = layout.fields ?? [];
  const base = { id: layout.id, name: layout.name, active: layout.active, fields };
  return (
    <tr data-testid="layout-row" data-layout={layout.name}>
      <td>
        <input aria-label={`Name of ${layout.name}`} value={name} onChange={(event) => setName(event.target.value)} />
        {name !== layout.name ? (
          <button type="button" onClick={() => void onSave({ ...base, name })}>
            Rename
          </button>
        ) : null}
        {layout.primary ? <span className="muted"> (default primary location)</span> : null}
      </td>
      <td>
        {fields.map((item) => (item.type && item.type !== 'text' ? `${item.name} (${FIELD_TYPE_LABELS[item.type].toLowerCase()})` : item.name)).join(', ') || (
          <span className="muted">none</span>
        )}
        <form
          className="inline"
          aria-label={`Add a field to ${layout.name}`}
          onSubmit={(event) => {
            event.preventDefault();
            const added = { name: field, type, ...(type === 'choice' ? { options: choices.split(/[,\n]/) } : {}) };
            void onSave({ ...base, fields: [...fields, added] }).then((ok) => ok && (setField(''), setChoices('')));
          }}
        >
          <input aria-label={`New field for ${layout.name}`} placeholder="New field" value={field} onChange={(event) => setField(event.target.value)} />
          <select aria-label={`Type of the added field (${layout.name})`} value={type} onChange={(event) => setType(event.target.value as FieldType)}>
            {FIELD_TYPES.map((option) => (
              <option key={option} value={option}>
                {FIELD_TYPE_LABELS[option]}
              </option>
            ))}
          </select>
          {type === 'choice' ? (
            <input
              aria-label={`Choices of the added field (${layout.name})`}
              placeholder="Choices, separated by commas"
              value={choices}
              onChange={(event) => setChoices(event.target.value)}
            />
          ) : null}
          <Button type="submit" disabled={!field.trim()}>
            Add field
          </Button>
        </form>
      </td>
      <td>
        <input
          type="checkbox"
          aria-label={`${layout.name} active`}
          checked={layout.active}
          onChange={(event) => void onSave({ ...base, active: event.target.checked })}
        />
      </td>
    </tr>
  );
}

import { useState } from 'react';
import { getDb, type LayoutRow } from '@/lib/db/schema';
import { request, RequestError } from '@/lib/messaging/client';
import { useLive } from '@/components/ui/use-live';

/** Asset layouts: create, rename, add custom fields, mark active or inactive. */
export function LayoutsPanel() {
  const db = getDb();
  const layouts = useLive(['layouts'], () => db.layouts.orderBy('id').toArray().then((rows) => rows.sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name))));
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  const save = async (layout: { id?: string; name: string; active: boolean; fields: { id?: string; name: string }[] }) => {
    setMessage(undefined);
    try {
      const result = await request('layouts.save', { layout });
      setMessage({ kind: 'ok', text: `Saved${result.moved ? `; ${result.moved} record${result.moved === 1 ? '' : 's'} re-sorted` : ''}.` });
      return true;
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof RequestError || error instanceof Error ? error.message : String(error) });
      return false;
    }
  };

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
      {message ? (
        <p className={message.kind} role="status" data-testid="layouts-message">
          {message.text}
        </p>
      ) : null}
    </section>
  );
}

function LayoutRowView({ layout, onSave }: { layout: LayoutRow; onSave: (layout: { id: string; name: string; active: boolean; fields: { id?: string; name: string }[] }) => Promise<boolean> }) {
  const [name, setName] = useState(layout.name);
  const [field, setField] = useState('');
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
        {fields.map((item) => item.name).join(', ') || <span className="muted">none</span>}
        <form
          className="inline"
          aria-label={`Add a field to ${layout.name}`}
          onSubmit={(event) => {
            event.preventDefault();
            void onSave({ ...base, fields: [...fields, { name: field }] }).then((ok) => ok && setField(''));
          }}
        >
          <input aria-label={`New field for ${layout.name}`} placeholder="New field" value={field} onChange={(event) => setField(event.target.value)} />
          <button type="submit" disabled={!field.trim()}>
            Add field
          </button>
        </form>
      </td>
      <td>
        <input type="checkbox" aria-label={`${layout.name} active`} checked={layout.active} onChange={(event) => void onSave({ ...base, active: event.target.checked })} />
      </td>
    </tr>
  );
}

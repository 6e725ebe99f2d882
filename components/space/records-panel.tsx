import { useEffect, useState, type FormEvent } from 'react';
import type { SpaceRecord, SpaceRecordField, SpaceRecordGroup } from '@/lib/documents/space-records';
import { StatusMessage } from '@/components/ui/status-message';
import { useRequestAction } from '@/components/ui/use-action';
import { CredentialForm, CredentialItem, useVaultLocked } from './credentials-panel';
import { HistoryPanel } from './history-panel';
import { Stamp } from './stamp';
import { Button } from '@/components/ui/button';

/** A kept version of a field value, as the history lists it. */
function describeValue(value: unknown, binnedAt: unknown): string {
  if (binnedAt !== undefined) return '(cleared)';
  const v = (value as { type?: string; v?: unknown } | undefined)?.v;
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  return v === undefined ? '(empty)' : String(v);
}

/** The client's records from its PSAs, by layout: custom fields filled by hand and pinned notes on each. */
export function RecordsPanel({ groups }: { groups: SpaceRecordGroup[] }) {
  return (
    <section aria-labelledby="records-heading" data-testid="space-records">
      <h2 id="records-heading">Records</h2>
      {groups.length === 0 ? <p className="muted">No record yet: match a PSA company to this client space and sync.</p> : null}
      {groups.map((group) => (
        <div key={group.title} data-testid="record-group" data-group={group.title}>
          <h3>
            {group.title} <span className="muted">({group.records.length})</span>
          </h3>
          <ul className="doc-list">
            {group.records.map((record) => (
              <RecordItem key={record.key} record={record} />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function RecordItem({ record }: { record: SpaceRecord }) {
  const documented = record.entity !== 'agreement';
  return (
    <li className="doc-item" data-testid="space-record" data-remote-id={record.remoteId}>
      <details>
        <summary>
          <strong>{record.title}</strong>
          {record.subtitle ? <span className="muted"> · {record.subtitle}</span> : null}
          {record.notes.length ? <span className="muted"> · {record.notes.length === 1 ? '1 note' : `${record.notes.length} notes`}</span> : null}
        </summary>
        {record.fields.length ? (
          <dl className="record-fields">
            {record.fields.map((field) => (
              <FieldRow key={field.fieldId} record={record} field={field} />
            ))}
          </dl>
        ) : null}
        {documented ? <RecordNotes record={record} /> : null}
        {documented ? <RecordCredentials record={record} /> : null}
      </details>
    </li>
  );
}

type Draft = string;

/** The value as the form holds it (strings), and back. */
const toDraft = (field: SpaceRecordField): Draft => {
  const hand = field.hand && !field.hand.binned ? field.hand.value : undefined;
  if (!hand) return '';
  if (field.type === 'yesno') return hand.v ? 'yes' : 'no';
  return String(hand.v);
};
function fromDraft(type: SpaceRecordField['type'], draft: Draft): { type: string; v: string | number | boolean } {
  if (type === 'number') return { type, v: draft.trim() === '' || Number.isNaN(Number(draft)) ? draft : Number(draft) };
  if (type === 'yesno') return { type, v: draft === 'yes' };
  return { type, v: draft };
}

function FieldRow({ record, field }: { record: SpaceRecord; field: SpaceRecordField }) {
  const [draft, setDraft] = useState<Draft>(toDraft(field));
  const [showHistory, setShowHistory] = useState(false);
  // A value saved elsewhere (the overlay, a restore, a teammate) shows here at once.
  const storedRev = field.hand?.rev;
  const stored = toDraft(field);
  useEffect(() => setDraft(stored), [storedRev, stored]);
  const saving = useRequestAction('docs.field.save', { success: (result) => (result.changed ? 'Saved.' : 'Unchanged.') });
  const base = {
    integrationId: record.integrationId,
    entity: record.entity as 'contact',
    remoteId: record.remoteId,
    layoutId: field.layoutId,
    fieldId: field.fieldId,
  };
  const rev = field.hand ? { baseRev: field.hand.rev } : {};
  const id = `field-${record.key}-${field.fieldId}`;
  if (field.fromPsa !== undefined) {
    return (
      <>
        <dt>{field.name}</dt>
        <dd>
          {field.fromPsa || <span className="muted">empty</span>} <span className="muted">(from the PSA)</span>
        </dd>
      </>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim() === '' && field.type !== 'yesno') {
      if (field.hand && !field.hand.binned) void saving.run({ ...base, ...rev, value: null });
      return;
    }
    if (field.type === 'number' && Number.isNaN(Number(draft))) {
      saving.refuse('Enter a number.', { value: 'Enter a number.' });
      return;
    }
    void saving.run({ ...base, ...rev, value: fromDraft(field.type, draft) });
  };
  const error = saving.fieldErrors.value;
  const common = {
    id,
    value: draft,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  } as const;
  let input;
  switch (field.type) {
    case 'multiline':
      input = <textarea {...common} rows={3} onChange={(event) => setDraft(event.target.value)} />;
      break;
    case 'yesno':
      input = (
        <select {...common} onChange={(event) => setDraft(event.target.value)}>
          <option value="">—</option>
          <option value="yes">Yes</option>
          <option value="no">No</option>
        </select>
      );
      break;
    case 'choice':
      input = (
        <select {...common} onChange={(event) => setDraft(event.target.value)}>
          <option value="">—</option>
          {(field.options ?? []).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
      break;
    default:
      input = (
        <input
          {...common}
          type={field.type === 'number' ? 'text' : field.type === 'date' ? 'date' : field.type === 'url' ? 'url' : 'text'}
          inputMode={field.type === 'number' ? 'decimal' : undefined}
          onChange={(event) => setDraft(event.target.value)}
        />
      );
  }
  return (
    <>
      <dt>
        <label htmlFor={id}>{field.name}</label>
      </dt>
      <dd>
        <form className="field-value" onSubmit={submit} aria-label={`${field.name} of ${record.title}`}>
          {input}
          <Button type="submit" className="secondary" disabled={saving.isPending}>
            Save
          </Button>
        </form>
        {error ? (
          <small className="error" id={`${id}-error`}>
            {error}
          </small>
        ) : null}
        {field.hand && !field.hand.binned ? <Stamp by={field.hand.by} at={field.hand.at} /> : null}
        {field.hand ? (
          <button type="button" className="secondary" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
            History
          </button>
        ) : null}
        <StatusMessage status={saving.status} />
        {field.hand && showHistory ? (
          <HistoryPanel docId={field.hand.docId} currentRev={field.hand.rev} describe={(content) => describeValue(content.value, content.binnedAt)} />
        ) : null}
      </dd>
    </>
  );
}

function RecordNotes({ record }: { record: SpaceRecord }) {
  const [draft, setDraft] = useState('');
  const adding = useRequestAction('docs.note.save', { success: () => 'Note pinned.', onSuccess: () => setDraft('') });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void adding.run({ place: { integrationId: record.integrationId, entity: record.entity as 'contact', remoteId: record.remoteId }, text: draft });
  };
  return (
    <div className="record-notes">
      {record.notes.map((note) => (
        <div key={note.id} data-testid="record-note">
          <p className="note-text">{note.text}</p>
          <Stamp by={note.by} at={note.at} />
        </div>
      ))}
      <form onSubmit={submit} aria-label={`New note on ${record.title}`}>
        <label className="field wide">
          <span>Note on {record.title}</span>
          <textarea rows={2} value={draft} onChange={(event) => setDraft(event.target.value)} aria-invalid={adding.fieldErrors.text ? true : undefined} />
          {adding.fieldErrors.text ? <small className="error">{adding.fieldErrors.text}</small> : null}
        </label>
        <Button type="submit" className="secondary" disabled={adding.isPending || !draft.trim()}>
          Pin note
        </Button>
        <StatusMessage status={adding.status} />
      </form>
    </div>
  );
}

function RecordCredentials({ record }: { record: SpaceRecord }) {
  const locked = useVaultLocked();
  const [creating, setCreating] = useState(false);
  const place = { integrationId: record.integrationId, entity: record.entity as 'contact', remoteId: record.remoteId };
  return (
    <div className="record-credentials" data-testid="record-credentials">
      {record.credentials.length ? (
        <ul className="doc-list">
          {record.credentials.map((credential) => (
            <CredentialItem key={credential.id} credential={credential} locked={locked} />
          ))}
        </ul>
      ) : null}
      {creating ? (
        <CredentialForm place={place} onDone={() => setCreating(false)} />
      ) : (
        <button type="button" className="secondary" onClick={() => setCreating(true)}>
          New credential on {record.title}
        </button>
      )}
    </div>
  );
}

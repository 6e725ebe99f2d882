import { createContext, useContext, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { OverlayItem } from '@/lib/items/item-model';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import { onTrusted } from '@/lib/content/gesture';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { Button } from '@/components/ui/button';

/** The company a ready view shows, and the line to the background: what a record's edit needs. */
export const OverlayWrites = createContext<{ companyRemoteId: string; link: HostLink } | undefined>(undefined);

type Editable = NonNullable<OverlayItem['editable']>;
type EditableField = Editable['fields'][number];

/** "Edit fields": a record's hand-filled custom fields, saved one by one (a person's submit only). */
export function ItemEdit({ item }: { item: OverlayItem }) {
  const writes = useContext(OverlayWrites);
  const [open, setOpen] = useState(false);
  if (!writes || !item.editable?.fields.length) return null;
  return (
    <div className="sc-item-edit">
      <button type="button" className="sc-icon" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="sidecar-edit-fields">
        {open ? 'Done' : 'Edit fields'}
      </button>
      {open
        ? item.editable.fields.map((field) => (
            <FieldForm
              key={field.fieldId}
              item={item}
              entity={item.editable!.entity}
              field={field}
              companyRemoteId={writes.companyRemoteId}
              link={writes.link}
            />
          ))
        : null}
    </div>
  );
}

const draftOf = (field: EditableField) => (field.value === undefined ? '' : field.type === 'yesno' ? (field.value.v ? 'yes' : 'no') : String(field.value.v));

function FieldForm(props: { item: OverlayItem; entity: Editable['entity']; field: EditableField; companyRemoteId: string; link: HostLink }) {
  const { field } = props;
  const client = useQueryClient();
  const [draft, setDraft] = useState(draftOf(field));
  const saving = useAction(
    (value: { type: string; v: string | number | boolean } | null) =>
      props.link.request('overlay.field.save', {
        companyRemoteId: props.companyRemoteId,
        entity: props.entity,
        remoteId: props.item.remoteId,
        fieldId: field.fieldId,
        ...(field.rev ? { baseRev: field.rev } : {}),
        value,
      }),
    { success: () => 'Saved.', onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.overlayViews() }) },
  );
  const save = onTrusted(() => {
    if (draft.trim() === '' && field.type !== 'yesno') {
      if (field.value !== undefined) void saving.run(null);
      return;
    }
    const v = field.type === 'number' ? Number(draft) : field.type === 'yesno' ? draft === 'yes' : draft;
    if (typeof v === 'number' && Number.isNaN(v)) return saving.refuse('Enter a number.');
    void saving.run({ type: field.type, v });
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save(event);
  };
  const id = `sc-edit-${props.item.remoteId}-${field.fieldId}`;
  const choices = field.type === 'yesno' ? ['yes', 'no'] : field.type === 'choice' ? (field.options ?? []) : undefined;
  return (
    <form className="sc-field-form" onSubmit={submit} aria-label={`${field.label} of ${props.item.title}`}>
      <label htmlFor={id}>{field.label}</label>
      {choices ? (
        <select id={id} value={draft} onChange={(event) => setDraft(event.target.value)}>
          <option value="">—</option>
          {choices.map((choice) => (
            <option key={choice} value={choice}>
              {field.type === 'yesno' ? (choice === 'yes' ? 'Yes' : 'No') : choice}
            </option>
          ))}
        </select>
      ) : field.type === 'multiline' ? (
        <textarea id={id} rows={2} value={draft} onChange={(event) => setDraft(event.target.value)} />
      ) : (
        <input id={id} type={field.type === 'date' ? 'date' : 'text'} value={draft} onChange={(event) => setDraft(event.target.value)} />
      )}
      <Button type="submit" className="sc-icon" disabled={saving.isPending}>
        Save
      </Button>
      <StatusMessage
        status={saving.status}
        role={saving.status?.kind === 'error' ? 'alert' : 'status'}
        className={saving.status?.kind === 'error' ? 'sc-error' : 'sc-muted'}
        as="span"
      />
    </form>
  );
}

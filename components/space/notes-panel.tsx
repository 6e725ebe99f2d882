import { useState, type FormEvent } from 'react';
import type { NoteView } from '@/lib/documents/read';
import { ConflictLine } from '@/components/ui/conflict-line';
import { StatusMessage } from '@/components/ui/status-message';
import { useRequestAction } from '@/components/ui/use-action';
import { HistoryPanel } from './history-panel';
import { Stamp } from './stamp';
import { Button } from '@/components/ui/button';

/** Pinned notes on the client space: short, shown first in the overlay on every page of this client. */
export function NotesPanel({ spaceId, notes }: { spaceId: string; notes: NoteView[] }) {
  const [draft, setDraft] = useState('');
  const adding = useRequestAction('docs.note.save', {
    success: () => 'Note pinned. It shows first in the overlay on this client’s pages.',
    onSuccess: () => setDraft(''),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void adding.run({ place: { spaceId }, text: draft });
  };
  return (
    <section aria-labelledby="notes-heading" data-testid="space-notes">
      <h2 id="notes-heading">Pinned notes</h2>
      {notes.length === 0 ? <p className="muted">No note yet. Write what a technician must know before touching this client.</p> : null}
      <ul className="doc-list">
        {notes.map((note) => (
          <NoteItem key={note.id} note={note} />
        ))}
      </ul>
      <form className="card" onSubmit={submit} aria-label="New pinned note">
        <NoteField label="New note" value={draft} onChange={setDraft} error={adding.fieldErrors.text} id="new-note" />
        <div className="actions">
          <Button type="submit" disabled={adding.isPending || !draft.trim()}>
            Pin note
          </Button>
        </div>
        <StatusMessage status={adding.status} testId="note-result" />
      </form>
    </section>
  );
}

function NoteItem({ note }: { note: NoteView }) {
  const [editing, setEditing] = useState<{ text: string; baseRev: string }>();
  const [showHistory, setShowHistory] = useState(false);
  const saving = useRequestAction('docs.note.save', { success: () => 'Saved.', onSuccess: () => setEditing(undefined) });
  const binning = useRequestAction('docs.bin', { success: () => 'Moved to the bin.' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (editing) void saving.run({ id: note.id, baseRev: editing.baseRev, text: editing.text });
  };
  return (
    <li className="doc-item" data-testid="space-note">
      {editing ? (
        <form onSubmit={submit} aria-label="Edit note">
          <NoteField
            label="Note"
            value={editing.text}
            onChange={(text) => setEditing({ ...editing, text })}
            error={saving.fieldErrors.text}
            id={`note-${note.id}`}
          />
          <div className="actions">
            <Button type="submit" disabled={saving.isPending}>
              Save
            </Button>
            <button type="button" className="secondary" onClick={() => (setEditing(undefined), saving.reset())}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <p className="note-text">{note.text}</p>
          <Stamp by={note.by} at={note.at} />
          <ConflictLine kept={note.conflictKept} history={{ open: () => setShowHistory(true) }} />
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setEditing({ text: note.text, baseRev: note.rev })}>
              Edit
            </button>
            <button type="button" className="secondary" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
              History
            </button>
            <Button
              type="button"
              className="secondary danger"
              disabled={binning.isPending}
              onClick={() => void binning.run({ id: note.id, baseRev: note.rev })}
            >
              Delete
            </Button>
          </div>
        </>
      )}
      <StatusMessage status={saving.status ?? binning.status} />
      {showHistory ? <HistoryPanel docId={note.id} currentRev={note.rev} describe={(content) => String(content.text ?? '')} /> : null}
    </li>
  );
}

function NoteField({
  label,
  value,
  onChange,
  error,
  id,
}: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  error?: string | undefined;
  id: string;
}) {
  return (
    <label className="field wide">
      <span>{label}</span>
      <textarea
        name="text"
        rows={3}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error ? (
        <small className="error" id={`${id}-error`}>
          {error}
        </small>
      ) : null}
    </label>
  );
}

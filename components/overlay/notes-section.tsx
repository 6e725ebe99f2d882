import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { OverlayNote } from '@/lib/overlay-view/view-model';
import type { HostLink } from '@/lib/overlay-frame/host-link';
import { ago } from '@/lib/content/relative-time';
import { onTrusted } from '@/lib/content/gesture';
import { queryKeys } from '@/components/ui/query-keys';
import { ConflictLine } from '@/components/ui/conflict-line';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { Button } from '@/components/ui/button';

type Draft = { noteId?: string; baseRev?: string; text: string };

/**
 * Pinned notes, above everything else: what a technician must know before touching this client.
 * Written and edited here too, for the page's own company only (the background decides where).
 */
export function NotesSection({ notes, now, companyRemoteId, link }: { notes: OverlayNote[]; now: number; companyRemoteId: string; link: HostLink }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>();
  const saving = useAction(
    (next: Draft) =>
      link.request('overlay.note.save', {
        companyRemoteId,
        about: { kind: 'space' },
        ...(next.noteId ? { noteId: next.noteId, baseRev: next.baseRev } : {}),
        text: next.text,
      }),
    {
      onSuccess: () => {
        setDraft(undefined);
        return client.invalidateQueries({ queryKey: queryKeys.overlayViews() });
      },
    },
  );
  // The note's history is on the client-space page (the overlay has none).
  const opening = useAction(() => link.request('overlay.openSpace', { companyRemoteId }));
  // Only a person's submit saves (a click or Enter of theirs); the frame never reloads either way.
  const save = onTrusted(() => {
    if (draft) void saving.run(draft);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save(event);
  };
  const editor = draft ? (
    <form className="sc-note-form" onSubmit={submit} aria-label={draft.noteId ? 'Edit note' : 'New note'}>
      <textarea
        className="sc-search"
        rows={3}
        aria-label="Note"
        value={draft.text}
        onChange={(event) => setDraft({ ...draft, text: event.target.value })}
        data-testid="sidecar-note-text"
      />
      <div className="sc-note-actions">
        <Button type="submit" className="sc-primary" disabled={saving.isPending || !draft.text.trim()} data-testid="sidecar-note-save">
          Save note
        </Button>
        <button type="button" className="sc-icon" onClick={() => (setDraft(undefined), saving.reset())}>
          Cancel
        </button>
      </div>
      <StatusMessage status={saving.status} role="alert" className="sc-error" />
    </form>
  ) : null;
  return (
    <section className="sc-section sc-notes" data-testid="sidecar-notes" aria-label="Before you start">
      <h3>Before you start</h3>
      {notes.length ? (
        <ul>
          {notes.map((note) => (
            <li key={note.id} data-testid="sidecar-note">
              {draft?.noteId === note.id ? (
                editor
              ) : (
                <>
                  {note.about ? <span className="sc-note-about">{note.about}: </span> : null}
                  <span className="sc-note-text">{note.text}</span>
                  <span className="sc-note-by">
                    {note.by}, {ago(note.at, now)}{' '}
                    <button type="button" className="sc-icon" onClick={() => setDraft({ noteId: note.id, baseRev: note.rev, text: note.text })}>
                      Edit
                    </button>
                  </span>
                  <ConflictLine
                    kept={note.conflictKept}
                    now={now}
                    className="sc-conflict"
                    buttonClassName="sc-link"
                    history={{ label: 'Sidecar’s history', open: onTrusted(() => void opening.run()) }}
                  />
                </>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="sc-muted">No pinned note for this client.</p>
      )}
      <StatusMessage status={opening.status} role="alert" className="sc-error" />
      {draft && !draft.noteId ? (
        editor
      ) : (
        <button type="button" className="sc-icon" onClick={() => setDraft({ text: '' })} data-testid="sidecar-note-add">
          Add a note
        </button>
      )}
    </section>
  );
}

import type { OverlayNote } from '@/lib/overlay-view/view-model';
import { ago } from '@/lib/content/relative-time';

/** Pinned notes, above everything else: what a technician must know before touching this client. */
export function NotesSection({ notes, now }: { notes: OverlayNote[]; now: number }) {
  if (!notes.length) return null;
  return (
    <section className="sc-section sc-notes" data-testid="sidecar-notes" aria-label="Before you start">
      <h3>Before you start</h3>
      <ul>
        {notes.map((note) => (
          <li key={note.id} data-testid="sidecar-note">
            {note.about ? <span className="sc-note-about">{note.about}: </span> : null}
            <span className="sc-note-text">{note.text}</span>
            <span className="sc-note-by">
              {note.by}, {ago(note.at, now)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

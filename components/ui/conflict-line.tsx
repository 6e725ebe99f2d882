import { Fragment, type MouseEvent, type ReactNode } from 'react';

/** An edit kept in a document's history when two computers edited it at once: who wrote it, when. */
export interface KeptEdit {
  by: string;
  at: number;
}

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** "10:42" today, "3 Dec, 10:42" another day: the time the person would recognise. */
export function keptAt(at: number, now: number = Date.now()): string {
  const when = new Date(at);
  return sameDay(when, new Date(now))
    ? when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : when.toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/**
 * Says that a document was edited on two computers at once and where the other edit went:
 * "Edited on two computers at once — Dana’s version of 10:42 is kept in History." Names and times
 * come from the document's mark (lib/documents/conflicts.ts); rendered as text only. `history`
 * opens the history where the page has one; without it, "History" is plain text.
 */
export function ConflictLine({
  kept,
  now,
  history,
  className = 'note conflict-line',
  buttonClassName = 'link',
}: {
  kept: readonly KeptEdit[] | undefined;
  now?: number;
  history?: { label?: string; open: (event: MouseEvent<HTMLButtonElement>) => void };
  className?: string;
  buttonClassName?: string;
}) {
  if (!kept?.length) return null;
  const versions = kept.map((edit, index) => (
    <Fragment key={index}>
      {index === 0 ? '' : index === kept.length - 1 ? ' and ' : ', '}
      {edit.by}’s version of <time dateTime={new Date(edit.at).toISOString()}>{keptAt(edit.at, now)}</time>
    </Fragment>
  ));
  const where: ReactNode = history ? (
    <button type="button" className={buttonClassName} onClick={history.open}>
      {history.label ?? 'History'}
    </button>
  ) : (
    'History'
  );
  return (
    <p className={className} role="note" data-testid="conflict-line">
      Edited on {kept.length === 1 ? 'two' : 'several'} computers at once — {versions} {kept.length === 1 ? 'is' : 'are'} kept in {where}.
    </p>
  );
}

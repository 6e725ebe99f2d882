import { useDeferredValue, useId, useMemo, useState } from 'react';

/**
 * A long list (2,000 client spaces or PSA companies) shown a window at a time, with a field to
 * narrow it by name: rendering every row made the options page take seconds to become
 * interactive (#17). Lists no longer than the window show whole, with no field.
 */

/** Rows shown at once. */
export const SHOWN_AT_ONCE = 100;

export interface Narrowed<T> {
  query: string;
  setQuery(query: string): void;
  /** The rows shown: those matching the query, the first `SHOWN_AT_ONCE` of them. */
  shown: T[];
  /** How many match the query (all of them with none). */
  matching: number;
  /** Whether the list is long enough to need narrowing. */
  long: boolean;
}

export function useNarrowed<T>(items: readonly T[], nameOf: (item: T) => string): Narrowed<T> {
  const [query, setQuery] = useState('');
  // Typing stays quick: the filtering and the rows it changes render after the keystroke.
  const deferred = useDeferredValue(query);
  const matched = useMemo(() => {
    const words = deferred.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    return words.length ? items.filter((item) => words.every((word) => nameOf(item).toLocaleLowerCase().includes(word))) : items;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- nameOf reads a field; a new closure each render is the same function
  }, [items, deferred]);
  return { query, setQuery, shown: matched.slice(0, SHOWN_AT_ONCE), matching: matched.length, long: items.length > SHOWN_AT_ONCE };
}

/** The field that narrows a list, and what of it is shown. */
export function NarrowField<T>({ narrowed, label, noun }: { narrowed: Narrowed<T>; label: string; noun: string }) {
  const id = useId();
  if (!narrowed.long) return null;
  const { matching, shown } = narrowed;
  return (
    <div className="narrow">
      <label className="field" htmlFor={id}>
        <span>{label}</span>
        <input id={id} type="search" value={narrowed.query} aria-describedby={`${id}-count`} onChange={(event) => narrowed.setQuery(event.target.value)} />
      </label>
      <p id={`${id}-count`} className="muted" role="status" data-testid="narrow-count">
        {matching > shown.length
          ? `Showing the first ${shown.length} of ${matching} ${noun}: type part of a name to find the others.`
          : `${matching} ${noun}${narrowed.query.trim() ? ` match “${narrowed.query.trim()}”` : ''}.`}
      </p>
    </div>
  );
}

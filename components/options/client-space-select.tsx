import { useState } from 'react';
import type { ClientSpaceRow } from '@/lib/db/schema';

/**
 * A matching row's choice: create, a client space, or leave unmatched. Closed, it lists only the
 * client spaces that row is about (its choice and its suggestion); every client space is listed
 * once the person focuses or opens it. With 2,000 companies and as many client spaces, listing
 * them all in every row made 4 million <option>s and gigabytes in the options page.
 */
export function ClientSpaceSelect(props: {
  label: string;
  value: string;
  /** Spaces listed even closed (the row's current choice, its suggestion). */
  relevant: string[];
  spaces: ClientSpaceRow[];
  spaceById: ReadonlyMap<string, ClientSpaceRow>;
  disabled: boolean;
  onChange(value: string): void;
}) {
  const [open, setOpen] = useState(false);
  // Closed: looked up by id, not filtered from the whole list (thousands of rows render at once).
  const listed = open
    ? props.spaces
    : [...new Set([...props.relevant, props.value])].flatMap((choice) => {
        const space = choice.startsWith('space:') ? props.spaceById.get(choice.slice('space:'.length)) : undefined;
        return space ? [space] : [];
      });
  return (
    <select
      aria-label={props.label}
      value={props.value}
      disabled={props.disabled}
      onFocus={() => setOpen(true)}
      onPointerDown={() => setOpen(true)}
      onChange={(event) => props.onChange(event.target.value)}
    >
      <option value="create">Create new client space</option>
      {listed.map((space) => (
        <option key={space.id} value={spaceChoice(space.id)}>
          Match to {space.name}
        </option>
      ))}
      <option value="unmatched">Leave unmatched (data not imported)</option>
    </select>
  );
}

/** Choice value in a row's select: "create", "unmatched" or "space:<id>". */
export const spaceChoice = (clientSpaceId: string): string => `space:${clientSpaceId}`;

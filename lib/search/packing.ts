/**
 * Columns of the in-memory search index packed for its snapshot (lib/search/snapshot.ts): a few
 * long strings and typed arrays instead of hundreds of thousands of small strings, which
 * IndexedDB would clone one by one when saving and loading.
 */

/** Strings as one string and their lengths (any content: no separator to escape). */
export interface PackedStrings {
  text: string;
  lengths: Int32Array;
}

export function packStrings(values: readonly string[]): PackedStrings {
  return { text: values.join(''), lengths: Int32Array.from(values, (value) => value.length) };
}

export function unpackStrings(packed: PackedStrings): string[] {
  const values = new Array<string>(packed.lengths.length);
  let at = 0;
  for (let index = 0; index < packed.lengths.length; index += 1) {
    const end = at + packed.lengths[index]!;
    values[index] = packed.text.slice(at, end);
    at = end;
  }
  return values;
}

/** A column of few distinct values (integration ids, kinds, companies): the values once, and each row's position among them (-1: undefined). */
export interface PackedShared {
  values: string[];
  rows: Int32Array;
}

export function packShared(column: readonly (string | undefined)[]): PackedShared {
  const positions = new Map<string, number>();
  const values: string[] = [];
  const rows = Int32Array.from(column, (value) => {
    if (value === undefined) return -1;
    let position = positions.get(value);
    if (position === undefined) {
      position = values.length;
      positions.set(value, position);
      values.push(value);
    }
    return position;
  });
  return { values, rows };
}

export function unpackShared(packed: PackedShared): (string | undefined)[] {
  return Array.from(packed.rows, (position) => (position < 0 ? undefined : packed.values[position]));
}

export const packFlags = (flags: readonly boolean[]): Uint8Array => Uint8Array.from(flags, (flag) => (flag ? 1 : 0));
export const unpackFlags = (packed: Uint8Array): boolean[] => Array.from(packed, (flag) => flag === 1);

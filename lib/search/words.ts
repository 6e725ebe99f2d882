import type { CanonicalRecord, EntityKind } from '../psa/types';

/**
 * The words a record is found by: its name (each part, and the whole name run together, so
 * "NDG-SRV01" is found by "srv01" and "ndgsrv01"), and the values a technician searches for
 * (serial, IP and MAC run together, e-mail, type). Lower-case; kept in the record's `words` index by the sync.
 */
export function tokenize(text: string): string[] {
  return text
    .toLocaleLowerCase('en')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const MAX_WORD = 64;

export function searchWords(entity: EntityKind, record: CanonicalRecord): string[] {
  const data = record as unknown as Record<string, unknown>;
  const name = typeof data.name === 'string' ? data.name : '';
  const parts = tokenize(name);
  const words = new Set(parts);
  if (parts.length > 1) words.add(parts.join(''));
  /** `whole`: also the value run together; `onlyWhole`: that alone (see below). */
  const add = (value: unknown, whole = false, onlyWhole = false) => {
    if (typeof value !== 'string' || !value.trim()) return;
    if (!onlyWhole) for (const part of tokenize(value)) words.add(part);
    if (whole || onlyWhole)
      words.add(
        value
          .trim()
          .toLocaleLowerCase('en')
          .replace(/[^\p{L}\p{N}]+/gu, ''),
      );
  };
  if (entity === 'configuration') {
    add(data.typeName);
    add(data.serialNumber, true);
    // An address is found run together ("10.0.0.5" and its start "10.0.0" read as "10005" and
    // "1000", rules.ts `readings`), not by its octets one by one: ten index entries a device,
    // most of a large tenant's, for words ("0", "10", "1a") that alone find half of it (#17).
    add(data.ipAddress, false, true);
    add(data.macAddress, false, true);
  }
  if (entity === 'contact') {
    add(data.email, true);
    add(data.title);
  }
  if (entity === 'company') add(data.identifier, true);
  return [...words].filter((word) => word.length <= MAX_WORD);
}

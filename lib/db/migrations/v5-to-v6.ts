import type { Transaction } from 'dexie';

/**
 * v6 gave records their search words (the palette's `*words` index); records synced before get
 * theirs here. Frozen: the word rules below are lib/search/words.ts as it was when v6 shipped, and
 * the row shape is the v6 one. A later change to how the sync computes words must not change what
 * this upgrade writes, so nothing here imports live domain code.
 */

interface V6Record {
  entity: string;
  data: Record<string, unknown>;
  words?: string[];
}

const MAX_WORD = 64;

function tokenize(text: string): string[] {
  return text
    .toLocaleLowerCase('en')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function searchWordsV6(entity: string, data: Record<string, unknown>): string[] {
  const name = typeof data.name === 'string' ? data.name : '';
  const parts = tokenize(name);
  const words = new Set(parts);
  if (parts.length > 1) words.add(parts.join(''));
  const add = (value: unknown, whole = false) => {
    if (typeof value !== 'string' || !value.trim()) return;
    for (const part of tokenize(value)) words.add(part);
    if (whole)
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
    add(data.ipAddress, true);
    add(data.macAddress, true);
  }
  if (entity === 'contact') {
    add(data.email, true);
    add(data.title);
  }
  if (entity === 'company') add(data.identifier, true);
  return [...words].filter((word) => word.length <= MAX_WORD);
}

export function addSearchWords(tx: Transaction) {
  return tx
    .table('records')
    .toCollection()
    .modify((row: V6Record) => {
      row.words = searchWordsV6(row.entity, row.data);
    });
}

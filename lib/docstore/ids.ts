import type { RecordRef } from './schemas';

/**
 * Document ids (docs/design/documentation-store.md §2). `kind:` first, so a kind reads as one
 * range and #15 can filter by it. Random where only one person creates the thing; derived where
 * two installs could create the same thing, so their writes meet as one CouchDB conflict instead
 * of two duplicates.
 */

export const randomDocId = (kind: 'space' | 'note' | 'article' | 'credential'): string => `${kind}:${crypto.randomUUID()}`;

/** The client space created from a PSA company: the same id on every install. */
export async function companySpaceId(source: string, companyRemoteId: string): Promise<string> {
  return `space:psa:${await digest([source, companyRemoteId])}`;
}

/** A PSA tenant (`source`) as shared ids name it (#15): the same on every install, free of ':' and '/'. */
export async function sourceDigest(source: string): Promise<string> {
  return digest([source]);
}

/** A company's match decision in the team: one document per tenant and company. */
export const matchDocId = (sourceHash: string, companyRemoteId: string): string => `match:${sourceHash}:${companyRemoteId}`;
/** A PSA tenant the team syncs (settings without secrets, options, sort rules). */
export const sourceDocId = (sourceHash: string): string => `source:${sourceHash}`;
/** A layout, by its id (the built-in ones have the same id on every install). */
export const layoutDocId = (layoutId: string): string => `layout:${layoutId}`;

/** A record's one value for one layout field. */
export async function fieldDocId(record: RecordRef, layoutId: string, fieldId: string): Promise<string> {
  return `field:${await digest([record.source, record.entity, record.remoteId, layoutId, fieldId])}`;
}

/** The version kept of `docId` as it was at `replacedRev`. */
export const versionDocId = (docId: string, replacedRev: string): string => `version:${docId}:${replacedRev}`;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** SHA-256 of the parts (newline-joined: no part holds one), base32, 26 characters (130 bits). */
async function digest(parts: string[]): Promise<string> {
  if (parts.some((part) => part.includes('\n'))) throw new Error('An id part cannot hold a line break.');
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\n'))));
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff; // only the low `bits` bits are still to be read
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= 26) break;
  }
  return out.slice(0, 26);
}

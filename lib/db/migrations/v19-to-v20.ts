import type { Transaction } from 'dexie';

/**
 * v20 (#18, found by the upgrade fixtures): what an older version left that today's reads no
 * longer find, put where they look.
 *
 * The MSP's own articles (a document with `spaceId: null`) were projected without a space key
 * until 852b6c0; since, the projector puts them under '*', and the client-space page, the overlay
 * and opening an article from the overlay read them by that key alone. The projection is written
 * again only when a document changes, so an article projected by v9's code (and not edited since,
 * whatever version the browser went through) was missing from every client's page. The documents
 * themselves (PouchDB) have not changed shape: `spaceId: null` then and now, so only their
 * projected rows move. Invalid rows have no place, then and now. Frozen: the row shape as v19
 * holds it, and '*' as the projector's key for every client (lib/documents/entities.ts).
 */

const EVERY_CLIENT = '*';

interface V19DocRow {
  id: string;
  kind: string;
  doc: { spaceId?: unknown };
  spaceId?: string;
  invalid?: string;
}

export async function projectGlobalArticlesUnderTheirKey(tx: Transaction): Promise<void> {
  await tx
    .table('docs')
    .where('kind')
    .equals('article')
    .modify((row: V19DocRow) => {
      if (row.invalid === undefined && row.spaceId === undefined && (row.doc.spaceId === null || row.doc.spaceId === undefined)) row.spaceId = EVERY_CLIENT;
    });
}

/**
 * The documents technicians write that the palette finds (lib/search/documents.ts); client spaces
 * are found as their companies. Apart, with no imports: the message protocol names them.
 */
export const DOCUMENT_KINDS = ['article', 'note', 'credential', 'field'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

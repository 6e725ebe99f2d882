/**
 * Sizes the options page and setup files share. No imports: the message protocol (bundled into
 * the content script) reads these too.
 */
export const LAYOUT_NAME_MAX = 60;
/** Custom fields of one layout. */
export const MAX_LAYOUT_FIELDS = 100;
/** The longest PSA field name a layout field can be connected to. */
export const MAX_SOURCE_LENGTH = 200;

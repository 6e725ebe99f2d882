// The one import of the polyfill: a pass-through on current Chrome and Firefox (docs/architecture-notes.md#polyfill).
import browser from 'webextension-polyfill';

export { browser };

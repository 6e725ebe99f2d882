// The one import of the polyfill: a pass-through on current Chrome and Firefox (toolchain.md P17).
import browser from 'webextension-polyfill';

export { browser };

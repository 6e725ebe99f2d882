/**
 * Page detection from the DOM, for what the URL cannot settle: a page the URL calls 'other', or a
 * record page whose URL carries no id (ConnectWise's undecodable hash states, BMS's unconfirmed
 * page shapes, a Halo ticket list whose address has not caught up with the open ticket yet).
 *
 * Each PSA's hooks, with their references, are in lib/psa/<kind>/page-dom.ts. They are pure: they
 * only call `doc.querySelector` and read what that returns (./dom-read.ts), so a tiny fake
 * document is enough to test them. No side effects, never throws.
 */
import { supported } from './supported';

export type { DomPage } from './types';
export type { QueryableDocument } from './dom-read';

/** The record the page's DOM shows for `psa`, or null when the DOM says nothing useful. */
export const detectByDom = supported.detectByDom;

import type { PsaKind } from './types';

/**
 * What the options page shows and the background validates for each PSA: the fields, and a
 * pure parse from what was typed to settings, credentials and the origins to ask permission
 * for. Both sides import the same spec, so the page can request host permission inside the
 * click before anything is sent.
 */

export interface PsaFormField {
  name: string;
  label: string;
  hint: string;
  /** Shown as a password input. */
  secret?: boolean;
  /** A credential: never prefilled; left blank while editing, the saved one is kept if the server stays the same. */
  credential?: boolean;
  optional?: boolean;
  choices?: { value: string; label: string }[];
}

export interface ParsedIntegration {
  /** No secrets. */
  settings: Record<string, unknown>;
  credentials: Record<string, string>;
  uiOrigin: string;
  /** Every origin Sidecar calls or overlays (UI, API, auth server). */
  origins: string[];
  label: string;
  note?: string;
}

export type FormValues = Record<string, string>;
export type ParseResult = { ok: true; value: ParsedIntegration } | { ok: false; errors: Record<string, string> };

export interface PsaFormSpec<K extends string = PsaKind> {
  kind: K;
  title: string;
  fields: PsaFormField[];
  /** Settings the connection test discovers (kept while the server settings do not change). */
  discoveredSettings: string[];
  /**
   * Settings that, beyond uiOrigin and origins, say where credentials are sent (Halo's
   * authorisation server): saved credentials are reused only while all of these stay the same.
   */
  serverSettings: string[];
  parse(values: FormValues): ParseResult;
  /** Just the origins, from the server fields alone: the page asks permission for them before saving. */
  origins(values: FormValues): { ok: true; uiOrigin: string; origins: string[] } | { ok: false; errors: Record<string, string> };
  /** Values to prefill when editing, from saved settings (never credentials). */
  prefill(settings: Record<string, unknown>): FormValues;
}

export const valueOf = (values: FormValues, name: string): string => values[name] ?? '';

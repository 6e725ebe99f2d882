/**
 * A failure the user should read, with per-field messages: thrown by domain code (saving a layout,
 * applying a match, importing a setup…) and carried to the page by the message router. It lives
 * here, below every layer, so domain code depends on no transport to say what went wrong.
 */
export class HandledError extends Error {
  readonly code: string;
  readonly fields?: Record<string, string>;
  constructor(code: string, message: string, fields?: Record<string, string>) {
    super(message);
    this.code = code;
    this.fields = fields;
  }
}

/**
 * Every failure an adapter reports is a PsaError with a code the engine and the UI act on.
 * The message is written for the technician; it never contains credentials.
 */
export type PsaErrorCode =
  | 'unreachable' // DNS, refused connection, TLS: the host could not be reached
  | 'timeout'
  | 'company-not-found' // the PSA says the tenant / login company does not exist
  | 'auth' // wrong keys or password (401)
  | 'permission' // authenticated but the API user lacks a right (403)
  | 'rate-limited' // 429 after the retries we allow ourselves
  | 'not-found' // a record asked for by id does not exist
  | 'server' // 5xx after retries
  | 'bad-response' // the body was not what the vendor's API returns
  | 'config' // our own settings are incomplete or invalid
  | 'locked'; // the credentials vault is locked until the user enters the passphrase

/** Codes worth retrying later on their own; the others need the user. */
const RETRYABLE: ReadonlySet<PsaErrorCode> = new Set(['unreachable', 'timeout', 'rate-limited', 'server', 'bad-response']);

export class PsaError extends Error {
  override readonly name = 'PsaError';
  readonly code: PsaErrorCode;
  readonly status?: number;
  /** Epoch ms before which the caller should not try again (from Retry-After). */
  readonly retryAt?: number;
  /** The form field the error is about, when there is one. */
  readonly field?: string;

  constructor(code: PsaErrorCode, message: string, extra: { status?: number; retryAt?: number; field?: string } = {}) {
    super(message);
    this.code = code;
    this.status = extra.status;
    this.retryAt = extra.retryAt;
    this.field = extra.field;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

export function isPsaError(error: unknown): error is PsaError {
  return error instanceof PsaError;
}

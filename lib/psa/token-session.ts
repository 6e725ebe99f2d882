import { HTTPError } from 'ky';
import type { PsaError } from './errors';

/** A bearer token and when to stop using it (already shortened by the vendor's renew-early margin). */
export interface SessionToken {
  value: string;
  expiresAt: number;
}

/**
 * A PSA's bearer-token session (Halo's client credentials, BMS's password sign-in): the token is
 * cached until it expires, one token request is in flight at a time, and a request answered 401
 * gets the token renewed once and is sent again (tokens can be revoked early).
 */
export class TokenSession<T extends SessionToken> {
  private token?: T;
  private pending?: Promise<string>;

  /** `obtain` asks the vendor for a token; it gets the current one (BMS renews with its refresh token). */
  constructor(private readonly obtain: (current: T | undefined) => Promise<T>) {}

  async accessToken(renew = false): Promise<string> {
    if (!renew && this.token && Date.now() < this.token.expiresAt) return this.token.value;
    this.pending ??= this.obtain(this.token)
      .then((token) => {
        this.token = token;
        return token.value;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /**
   * Runs `call` with the token; on a first 401 the token is renewed and `call` runs once more.
   * Any other failure (or a second 401) goes through `mapError`. Token failures are not mapped:
   * they are already the vendor's specific PsaError.
   */
  async send<R>(call: (token: string) => Promise<R>, mapError: (error: unknown) => Promise<PsaError>): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(attempt > 0);
      try {
        return await call(token);
      } catch (error) {
        if (error instanceof HTTPError && error.response.status === 401 && attempt === 0) continue;
        throw await mapError(error);
      }
    }
  }
}

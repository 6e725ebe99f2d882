import ky, { HTTPError, NetworkError, TimeoutError, type KyInstance, type Options } from 'ky';
import { PsaError } from './errors';
import type { Pacer } from './pacing';

/**
 * The HTTP client every adapter uses: ky with a timeout under the MV3 30 s fetch limit (R2),
 * retries with backoff that honour Retry-After up to a ceiling, and errors mapped to PsaError.
 * A Retry-After beyond the ceiling surfaces as 'rate-limited' with retryAt, so the engine can
 * persist it and come back by alarm instead of sleeping in a worker that may be stopped.
 */
export interface HttpClientOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  /** Per-request timeout; default 20 s. */
  timeoutMs?: number;
  /** Retries for 408/429/5xx and network errors; default 3. */
  retries?: number;
  /** Longest Retry-After we wait in place; default 20 s. */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
  /** Keeps requests (retries included) within a share of the vendor's rate limit. */
  pacer?: Pacer;
  /** 'manual': a redirect is an error (see toPsaError), so nothing goes to an address the user did not enter. Default: followed. */
  redirect?: RequestRedirect;
}

export function createHttpClient(options: HttpClientOptions): KyInstance {
  const kyOptions: Options = {
    prefix: options.baseUrl,
    headers: options.headers,
    timeout: options.timeoutMs ?? 20_000,
    retry: {
      limit: options.retries ?? 3,
      statusCodes: [408, 429, 500, 502, 503, 504],
      afterStatusCodes: [429, 503],
      maxRetryAfter: options.maxRetryAfterMs ?? 20_000,
      backoffLimit: 10_000,
      jitter: true,
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.redirect ? { redirect: options.redirect } : {}),
    ...(options.pacer
      ? {
          hooks: {
            beforeRequest: [async ({ request }) => void (await options.pacer!.acquire(request.method, request.url))],
            beforeRetry: [async ({ request }) => void (await options.pacer!.acquire(request.method, request.url))],
          },
        }
      : {}),
  };
  return ky.create(kyOptions);
}

/** What a token request may set: the same timeout and fetch as the API client, its own retries. */
export interface FormPostOptions {
  timeoutMs?: number;
  /** Retries for 408/429/5xx; default 2 (a token POST is safe to repeat). */
  retries?: number;
  fetch?: typeof fetch;
  redirect?: RequestRedirect;
}

/** POSTs a form (a token request) to an absolute URL and reads JSON; failures are ky's errors, for the caller to map. */
export function postForm(url: string | URL, form: URLSearchParams, options: FormPostOptions): Promise<unknown> {
  return ky
    .post(url, {
      body: form,
      ...(options.redirect ? { redirect: options.redirect } : {}),
      timeout: options.timeoutMs ?? 20_000,
      retry: { limit: options.retries ?? 2, methods: ['post'], statusCodes: [408, 429, 500, 502, 503, 504] },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    })
    .json();
}

/** Retry-After as epoch ms: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAtFrom(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return now + Math.max(0, seconds) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}

/** A redirect answered to a request made with `redirect: 'manual'` (browsers make it opaque, with status 0). */
export function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400 && response.headers.has('location'));
}

/**
 * Maps transport failures to PsaError. HTTP statuses that mean something vendor-specific
 * (401, 403, 404) are left to the adapter through `describeStatus`.
 */
export async function toPsaError(error: unknown, host: string, describeStatus?: (status: number, body: unknown) => PsaError | undefined): Promise<PsaError> {
  if (error instanceof PsaError) return error;
  if (error instanceof HTTPError) {
    const status = error.response.status;
    if (isRedirect(error.response)) {
      const location = error.response.headers.get('location');
      return new PsaError(
        'config',
        `${host} redirected Sidecar${location ? ` to ${location}` : ''}; Sidecar calls only the addresses you entered, so it did not follow. Check the address.`,
        { status },
      );
    }
    const specific = describeStatus?.(status, error.data);
    if (specific) return specific;
    if (status === 429) {
      return new PsaError('rate-limited', `${host} is rate limiting requests; Sidecar will retry later.`, {
        status,
        retryAt: retryAtFrom(error.response.headers) ?? Date.now() + 60_000,
      });
    }
    if (status >= 500) return new PsaError('server', `${host} answered with a server error (HTTP ${status}).`, { status });
    return new PsaError('bad-response', `${host} answered HTTP ${status} unexpectedly.`, { status });
  }
  if (error instanceof TimeoutError) return new PsaError('timeout', `${host} did not answer in time.`);
  if (error instanceof NetworkError || error instanceof TypeError) {
    return new PsaError('unreachable', `Could not reach ${host}. Check the address and your network.`);
  }
  if (error instanceof SyntaxError) return new PsaError('bad-response', `${host} sent a response that is not valid JSON.`);
  return new PsaError('bad-response', `Unexpected failure talking to ${host}: ${error instanceof Error ? error.message : String(error)}`);
}

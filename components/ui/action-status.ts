import { HandledError } from '@/lib/errors';
import { RequestError } from '@/lib/messaging/client';

/** What a component says about the last thing the person asked it to do. */
export type ActionStatus = { kind: 'ok' | 'error' | 'busy'; text: string };

/** The sentence to show for a failure: the background's message, or whatever was thrown. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Per-field messages of a refused request (the background's HandledError, carried as a
 * RequestError), keyed by the form's field names; none for any other failure.
 */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  return error instanceof RequestError || error instanceof HandledError ? { ...(error.fields ?? {}) } : {};
}

/** How an action words its outcome: both optional; `failed` is asked first. */
export interface OutcomeWords<TData, TVars> {
  /** The sentence for a success, or undefined to say nothing. */
  success?: (data: TData, vars: TVars) => string | undefined;
  /** A failure the background answered with (not threw), such as `{ status: 'failed' }`, or undefined when none. */
  failed?: (data: TData, vars: TVars) => string | undefined;
}

/** The slice of a mutation's state the status is read from (TanStack's `useMutation` result has it). */
export interface SettledState<TData, TVars> {
  status: 'idle' | 'pending' | 'success' | 'error';
  data: TData | undefined;
  error: unknown;
  variables: TVars | undefined;
}

/** The status to show for a mutation's state: nothing while idle or pending, else its outcome in words. */
export function statusOf<TData, TVars>(state: SettledState<TData, TVars>, words: OutcomeWords<TData, TVars>): ActionStatus | undefined {
  if (state.status === 'error') return { kind: 'error', text: errorText(state.error) };
  if (state.status !== 'success') return undefined;
  const data = state.data as TData;
  const vars = state.variables as TVars;
  const failed = words.failed?.(data, vars);
  if (failed !== undefined) return { kind: 'error', text: failed };
  const success = words.success?.(data, vars);
  return success === undefined ? undefined : { kind: 'ok', text: success };
}

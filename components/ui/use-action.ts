import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { request } from '@/lib/messaging/client';
import type { ChannelName, RequestOf, ResponseOf } from '@/lib/messaging/protocol';
import { fieldErrorsOf, statusOf, type ActionStatus, type OutcomeWords } from './action-status';

export interface ActionOptions<TData, TVars> extends OutcomeWords<TData, TVars> {
  /** Runs after a success, before the status is shown (clear a draft, update a cached query…). */
  onSuccess?: (data: TData, vars: TVars) => unknown;
}

export interface Action<TVars> {
  /**
   * Starts the action. Resolves to whether it succeeded (its result goes to `onSuccess`, `success`
   * and `failed`); a failure is already shown through `status`, so callers never need a catch.
   */
  run: (vars: TVars) => Promise<boolean>;
  /** True while the action runs (buttons disable themselves on it). */
  isPending: boolean;
  /** The outcome to show: the success sentence, the formatted error, or a refusal set with `refuse`. */
  status: ActionStatus | undefined;
  /** Per-field errors of the last failure, keyed by field name. */
  fieldErrors: Record<string, string>;
  /**
   * Shows a refusal found here, before asking the background (which checks again): its sentence
   * (without one, the message shown stays) and the fields it is about.
   */
  refuse: (text: string | undefined, fieldErrors?: Record<string, string>) => void;
  /** Forgets the last outcome. */
  reset: () => void;
}

/**
 * One user action through TanStack Query's `useMutation`: pending state, then a success
 * sentence or the error to show (with per-field errors when the background reports them).
 * Starting it again clears the previous outcome, as every form of the options page did by hand.
 */
export function useAction<TData, TVars = void>(work: (vars: TVars) => Promise<TData>, options: ActionOptions<TData, TVars> = {}): Action<TVars> {
  // A refusal of this page's own checks: shown like a failure until the next run.
  const [refusal, setRefusal] = useState<{ status: ActionStatus | undefined; fields: Record<string, string> }>();
  const mutation = useMutation<TData, unknown, TVars>({
    mutationFn: work,
    onSuccess: (data, vars) => options.onSuccess?.(data, vars),
  });
  const status = refusal ? refusal.status : statusOf(mutation, options);
  return {
    run: (vars) => {
      setRefusal(undefined);
      return mutation.mutateAsync(vars).then(
        () => true,
        () => false,
      );
    },
    isPending: mutation.isPending,
    status,
    fieldErrors: refusal?.fields ?? (mutation.isError ? fieldErrorsOf(mutation.error) : {}),
    refuse: (text, fieldErrors = {}) => {
      mutation.reset();
      setRefusal({ status: text === undefined ? status : { kind: 'error', text }, fields: fieldErrors });
    },
    reset: () => {
      mutation.reset();
      setRefusal(undefined);
    },
  };
}

/** `useAction` over one channel of the typed protocol: `run(payload)` asks the background. */
export function useRequestAction<C extends ChannelName>(channel: C, options: ActionOptions<ResponseOf<C>, RequestOf<C>> = {}): Action<RequestOf<C>> {
  return useAction((payload: RequestOf<C>) => request(channel, payload), options);
}

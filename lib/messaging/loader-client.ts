import { browser } from '../browser';
import type { ChannelName, RequestOf } from './protocol';

/**
 * The always-loaded content script's messages, kept tiny (no schemas: zod lives in the overlay
 * bundle). The answer comes from Sidecar's own background; each caller still checks its shape.
 */
export async function send<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<unknown> {
  const reply = (await sendRaw(channel, payload)) as { ok?: unknown; data?: unknown; error?: { message?: unknown } } | undefined;
  if (reply?.ok === true) return reply.data;
  throw new Error(typeof reply?.error?.message === 'string' ? reply.error.message : 'Sidecar’s background did not answer.');
}

/** The background's answer as it came, for the overlay to validate (lib/messaging/client.ts readReply). */
export function sendRaw<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<unknown> {
  return browser.runtime.sendMessage({ channel, payload }) as Promise<unknown>;
}

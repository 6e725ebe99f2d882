import { browser } from '../browser';
import { channels, replySchema, type ChannelName, type RequestOf, type ResponseOf } from './protocol';

/** A refused or failed request, with the background's message and per-field errors. */
export class RequestError extends Error {
  readonly code: string;
  readonly fields: Record<string, string>;
  constructor(code: string, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.fields = fields;
  }
}

/** Sends one request to the background and validates the answer against the channel's schema. */
export async function request<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
  return readReply(channel, await browser.runtime.sendMessage({ channel, payload }));
}

/** Validates a raw answer of the background (asked here, or earlier by the content script's loader). */
export function readReply<C extends ChannelName>(channel: C, raw: unknown): ResponseOf<C> {
  const reply = replySchema.safeParse(raw);
  if (!reply.success) throw new RequestError('bad-reply', 'Sidecar’s background did not answer. Reload the page and try again.');
  if (!reply.data.ok) throw new RequestError(reply.data.error.code, reply.data.error.message, reply.data.error.fields);
  return channels[channel].response.parse(reply.data.data) as ResponseOf<C>;
}

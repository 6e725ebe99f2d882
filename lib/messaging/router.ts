import { channels, envelopeSchema, type ChannelName, type ParsedRequestOf, type Reply, type ResponseOf, type WireError } from './protocol';
import { HandledError } from '../errors';
import { classifySender, type ClassifiedSender, type SenderFacts, type Self } from './sender';

/**
 * The background's receiving end. Order per message: envelope, sender class against the
 * channel's allow-list, request schema, handler. Anything that fails is refused with a reason
 * and the handler never runs (fail closed).
 */

export type Handlers = {
  [C in ChannelName]: (request: ParsedRequestOf<C>, sender: ClassifiedSender) => Promise<ResponseOf<C>>;
};

const refuse = (code: string, message: string): Reply => ({ ok: false, error: { code, message } });

export function createRouter(handlers: Handlers, self: () => Self) {
  return async function route(message: unknown, senderFacts: SenderFacts): Promise<Reply> {
    const envelope = envelopeSchema.safeParse(message);
    if (!envelope.success || !Object.hasOwn(channels, envelope.data.channel)) {
      return refuse('unknown-channel', 'Unknown message.');
    }
    const name = envelope.data.channel as ChannelName;
    const spec = channels[name];
    const sender = classifySender(senderFacts, self());
    if (!(spec.allowed as readonly string[]).includes(sender.kind)) {
      return refuse('forbidden', `This context may not use ${name}.`);
    }
    const request = spec.request.safeParse(envelope.data.payload);
    if (!request.success) {
      // The first problem, said once (zod's messages may already end with a full stop), at its field.
      const issue = request.error.issues[0];
      const text = (issue?.message ?? 'bad payload').replace(/\.+$/, '');
      const field = issue?.path.filter((part) => typeof part === 'string' || typeof part === 'number').at(-1);
      return {
        ok: false,
        error: {
          code: 'invalid-request',
          message: `Invalid ${name} request: ${text}.`,
          ...(field !== undefined ? { fields: { [String(field)]: `${text}.` } } : {}),
        },
      };
    }
    try {
      const handler = handlers[name] as (request: unknown, sender: ClassifiedSender) => Promise<unknown>;
      const data = spec.response.parse(await handler(request.data, sender));
      return { ok: true, data };
    } catch (error) {
      return { ok: false, error: toWireError(error) };
    }
  };
}

function toWireError(error: unknown): WireError {
  if (error instanceof HandledError) return { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) };
  const candidate = error as { code?: unknown; message?: unknown; field?: unknown };
  if (error instanceof Error && typeof candidate.code === 'string') {
    const field = typeof candidate.field === 'string' ? candidate.field : undefined;
    return { code: candidate.code, message: error.message, ...(field ? { fields: { [field]: error.message } } : {}) };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : 'Something went wrong.' };
}

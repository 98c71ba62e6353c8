import type Anthropic from '@anthropic-ai/sdk';
import type { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { Message, MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import type { RateLimiter, RateLimitSnapshot } from '../resilience/rate-limiter.ts';
import { StreamEndedEarlyError } from '../resilience/stream-ended-early-error.ts';
import { StreamIdleTimer } from '../resilience/stream-idle-timer.ts';
import type { PreparedCall } from './prepare-call.ts';

/** What a committed stream attempt hands over: the SDK stream and the events read so far. */
export interface OpenedStream {
  messageStream: MessageStream<unknown>;
  iterator: AsyncIterator<MessageStreamEvent>;
  buffered: MessageStreamEvent[];
  sawStop: boolean;
  /** The SDK's accumulating message (mutated in place; kept because the SDK drops it at the end). */
  snapshot: Message | undefined;
  /** Aborts the stream when it goes silent; running until the stream ends. */
  idle: StreamIdleTimer;
  requestId: string | undefined;
  rateLimit: RateLimitSnapshot | undefined;
}

const noop = () => {};

/**
 * One stream attempt: opens the stream and reads until the first content delta (the commit
 * point: before it, a failure is retried invisibly), or to the end.
 */
export async function openStream(options: {
  anthropic: Anthropic;
  limiter: RateLimiter;
  prepared: PreparedCall;
  model: string;
  body: Record<string, unknown>;
  idleTimeoutMs: number;
}): Promise<OpenedStream> {
  const { model } = options;
  const messageStream: MessageStream<unknown> = options.anthropic.messages.stream(
    options.body as never,
    options.prepared.requestOptions,
  );
  // Errors surface through the iterator; these listeners keep the SDK from reporting them
  // as unhandled rejections.
  messageStream.on('error', noop).on('abort', noop);
  const idle = new StreamIdleTimer(options.idleTimeoutMs, () => messageStream.abort());
  const iterator = messageStream[Symbol.asyncIterator]();
  const buffered: MessageStreamEvent[] = [];
  let sawStop = false;
  try {
    for (;;) {
      const next = await iterator.next();
      idle.touch();
      if (next.done) {
        await messageStream.done();
        if (!sawStop) throw new StreamEndedEarlyError(model);
        break;
      }
      buffered.push(next.value);
      if (next.value.type === 'message_stop') {
        sawStop = true;
        break;
      }
      if (next.value.type === 'content_block_delta') break;
    }
  } catch (error) {
    idle.stop();
    messageStream.abort();
    throw idle.error(error);
  }
  const headers = messageStream.response?.headers;
  return {
    messageStream,
    iterator,
    buffered,
    sawStop,
    idle,
    snapshot: messageStream.currentMessage,
    requestId: messageStream.request_id ?? undefined,
    rateLimit: headers ? options.limiter.observe(model, headers) : undefined,
  };
}

/** The message so far of a stream that has started (the SDK drops its snapshot at the end). */
export function streamSnapshot(opened: OpenedStream): Message | undefined {
  return opened.snapshot ?? opened.messageStream.currentMessage;
}

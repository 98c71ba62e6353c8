import type { Message, MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import type {
  MessagesCallOptions,
  MessagesCaller,
  MessagesRequest,
  MessagesStream,
} from '../call/messages-caller.ts';
import type { CallOptions } from './call-options.ts';
import type { CallTags } from '../call/call-tags.ts';
import type { KeelClient } from './keel-client.ts';
import type { KeelStreamEvent } from './stream-events.ts';

/** Defaults applied to every call made through a {@link keelCaller}. */
export interface KeelCallerDefaults {
  /** Tags merged under each call's own tags (a call's tags win). */
  tags?: CallTags;
  /** Options passed to every `call()` / `stream()` (timeouts, fallbacks, truncation policy). */
  callOptions?: Omit<CallOptions, 'tags' | 'signal'>;
}

/**
 * Adapts a {@link KeelClient} to the `MessagesCaller` seam, so the agent loop, `generateObject` and
 * the thinking helpers get Keel's retries, fallback, exact cost and ledger entries, with the
 * blocks' `tags` (prompt id and version, feature, user, session) recorded on every call.
 *
 * Truncated responses are returned (not thrown): the blocks read `stop_reason` themselves.
 */
export function keelCaller(keel: KeelClient, defaults: KeelCallerDefaults = {}): MessagesCaller {
  const optionsFor = (options: MessagesCallOptions | undefined): CallOptions => {
    const callOptions: CallOptions = { onTruncation: 'return', ...defaults.callOptions };
    const tags = { ...defaults.tags, ...options?.tags };
    if (Object.keys(tags).length > 0) callOptions.tags = tags;
    if (options?.signal) callOptions.signal = options.signal;
    if (options?.headers) callOptions.headers = { ...callOptions.headers, ...options.headers };
    return callOptions;
  };
  return {
    // Per-call headers may still name another version; the client decides per call.
    apiVersion: keel.apiVersion,
    route: (task) => keel.routing.route(task).model,
    async create(request: MessagesRequest, options?: MessagesCallOptions): Promise<Message> {
      const result = await keel.call(request, optionsFor(options));
      return result.message;
    },
    stream(request: MessagesRequest, options?: MessagesCallOptions): MessagesStream {
      const stream = keel.stream(request, optionsFor(options));
      return {
        async *[Symbol.asyncIterator](): AsyncGenerator<MessageStreamEvent, void, undefined> {
          for await (const event of stream) yield* rawStreamEvents(event);
        },
        finalMessage: () => stream.finalMessage(),
        abort: () => stream.abort(),
      };
    },
  };
}

/** The wire events a Keel stream event stands for, so blocks can read the stream as the SDK's. */
export function rawStreamEvents(event: KeelStreamEvent): MessageStreamEvent[] {
  switch (event.type) {
    case 'message-start':
      return [
        {
          type: 'message_start',
          message: {
            id: event.requestId ?? '',
            type: 'message',
            role: 'assistant',
            model: event.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: emptyUsage(),
          } as unknown as Message,
        },
      ];
    case 'content-block-start':
      return [{ type: 'content_block_start', index: event.index, content_block: event.block }];
    case 'text-delta':
      return [
        {
          type: 'content_block_delta',
          index: event.index,
          delta: { type: 'text_delta', text: event.text },
        },
      ];
    case 'thinking-delta':
      return [
        {
          type: 'content_block_delta',
          index: event.index,
          delta: { type: 'thinking_delta', thinking: event.thinking },
        },
      ];
    case 'tool-input-delta':
      return [
        {
          type: 'content_block_delta',
          index: event.index,
          delta: { type: 'input_json_delta', partial_json: event.partialJson },
        },
      ];
    case 'citation-delta':
      return [
        {
          type: 'content_block_delta',
          index: event.index,
          delta: { type: 'citations_delta', citation: event.citation },
        },
      ];
    case 'content-block-stop':
      return [{ type: 'content_block_stop', index: event.index }];
    case 'finish': {
      const message = event.result.message;
      return [
        {
          type: 'message_delta',
          delta: {
            stop_reason: message.stop_reason,
            stop_sequence: message.stop_sequence,
          },
          usage: message.usage,
        } as unknown as MessageStreamEvent,
        { type: 'message_stop' },
      ];
    }
  }
}

function emptyUsage() {
  return {
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_input_tokens: null,
    cache_read_input_tokens: null,
  };
}

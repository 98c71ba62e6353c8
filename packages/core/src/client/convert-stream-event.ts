import type { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import type { KeelStreamEvent } from './stream-events.ts';

/** The Keel event for an SDK stream event; undefined for events Keel does not pass on. */
export function convertStreamEvent(
  event: MessageStreamEvent,
  stream: Pick<MessageStream<unknown>, 'currentMessage'>,
): KeelStreamEvent | undefined {
  switch (event.type) {
    case 'content_block_start':
      return { type: 'content-block-start', index: event.index, block: event.content_block };
    case 'content_block_delta': {
      const delta = event.delta;
      if (delta.type === 'text_delta') {
        return { type: 'text-delta', index: event.index, text: delta.text };
      }
      if (delta.type === 'thinking_delta') {
        return { type: 'thinking-delta', index: event.index, thinking: delta.thinking };
      }
      if (delta.type === 'input_json_delta') {
        return { type: 'tool-input-delta', index: event.index, partialJson: delta.partial_json };
      }
      if (delta.type === 'citations_delta') {
        return { type: 'citation-delta', index: event.index, citation: delta.citation };
      }
      return undefined;
    }
    case 'content_block_stop': {
      const block = stream.currentMessage?.content[event.index];
      return block ? { type: 'content-block-stop', index: event.index, block } : undefined;
    }
    default:
      return undefined;
  }
}

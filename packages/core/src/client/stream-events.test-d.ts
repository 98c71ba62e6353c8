// Type-level tests, checked by `npm run typecheck` (vitest does not run *.test-d.ts files).
import type { ContentBlock, TextCitation } from '@anthropic-ai/sdk/resources/messages/messages';
import { describe, expectTypeOf, it } from 'vitest';
import type { CallResult } from '../call/call-result.ts';
import type { KeelStreamEvent } from './stream-events.ts';

declare const event: KeelStreamEvent;

describe('KeelStreamEvent', () => {
  it('narrows by type to the fields of that event', () => {
    switch (event.type) {
      case 'message-start':
        expectTypeOf(event.model).toEqualTypeOf<string>();
        expectTypeOf(event.requestId).toEqualTypeOf<string | undefined>();
        break;
      case 'content-block-start':
      case 'content-block-stop':
        expectTypeOf(event.block).toEqualTypeOf<ContentBlock>();
        break;
      case 'text-delta':
        expectTypeOf(event.text).toEqualTypeOf<string>();
        break;
      case 'thinking-delta':
        expectTypeOf(event.thinking).toEqualTypeOf<string>();
        break;
      case 'tool-input-delta':
        expectTypeOf(event.partialJson).toEqualTypeOf<string>();
        break;
      case 'citation-delta':
        expectTypeOf(event.citation).toEqualTypeOf<TextCitation>();
        break;
      case 'finish':
        expectTypeOf(event.result).toEqualTypeOf<CallResult>();
        break;
      default:
        // Every event type is handled above: a new one must be added here.
        expectTypeOf(event).toBeNever();
    }
  });

  it('has exactly these event types', () => {
    expectTypeOf<KeelStreamEvent['type']>().toEqualTypeOf<
      | 'message-start'
      | 'content-block-start'
      | 'text-delta'
      | 'thinking-delta'
      | 'tool-input-delta'
      | 'citation-delta'
      | 'content-block-stop'
      | 'finish'
    >();
  });

  it('keeps fields of one event off the others', () => {
    if (event.type === 'text-delta') {
      // @ts-expect-error -- a text delta has no thinking
      void event.thinking;
    }
  });
});

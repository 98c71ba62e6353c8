// Type-level tests, checked by `npm run typecheck` (vitest does not run *.test-d.ts files).
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { describe, expectTypeOf, it } from 'vitest';
import type { ToolCallStatus } from '../tools/execute-tool-call.ts';
import type { AgentEvent } from './agent-events.ts';
import type { AgentResult } from './agent-result.ts';

declare const event: AgentEvent;

describe('AgentEvent', () => {
  it('narrows by type to the fields of that event, and every type is handled', () => {
    switch (event.type) {
      case 'step-start':
        expectTypeOf(event.iteration).toEqualTypeOf<number>();
        break;
      case 'text-delta':
        expectTypeOf(event.text).toEqualTypeOf<string>();
        break;
      case 'thinking-delta':
        expectTypeOf(event.thinking).toEqualTypeOf<string>();
        break;
      case 'thinking-start':
      case 'thinking-end':
        expectTypeOf<keyof typeof event>().toEqualTypeOf<'type'>();
        break;
      case 'tool-input-start':
        expectTypeOf(event.toolUseId).toEqualTypeOf<string>();
        break;
      case 'tool-call-start':
        expectTypeOf(event.input).toEqualTypeOf<unknown>();
        break;
      case 'tool-call-end':
        expectTypeOf(event.status).toEqualTypeOf<ToolCallStatus>();
        expectTypeOf(event.isError).toEqualTypeOf<boolean>();
        break;
      case 'step-finish':
        expectTypeOf(event.message).toEqualTypeOf<Message>();
        break;
      case 'finish':
        expectTypeOf(event.result).toEqualTypeOf<AgentResult>();
        break;
      default:
        expectTypeOf(event).toBeNever();
    }
  });
});

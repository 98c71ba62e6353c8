import type { AgentEvent } from './agent-events.ts';
import type { RunAgentOptions } from './agent-options.ts';
import type { AgentResult } from './agent-result.ts';
import { agentLoop } from './agent-loop.ts';
import { callOptionsOf } from './call-context.ts';

/** A running agent: iterate it for events, or await `result`. */
export interface AgentStream extends AsyncIterable<AgentEvent> {
  /** The run's result; rejects when a model call fails. */
  result: Promise<AgentResult>;
}

/**
 * Runs the tool loop with streamed model calls, emitting text deltas, thinking state, tool start
 * and end events for a UI. The run starts at once; events are buffered until read, and iteration
 * ends after the `finish` event (or throws the run's error).
 */
export function streamAgent(options: RunAgentOptions): AgentStream {
  const buffered: AgentEvent[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  let failure: { error: unknown } | undefined;
  const push = (event: AgentEvent) => {
    buffered.push(event);
    wake?.();
  };

  const result = agentLoop(
    options,
    async (request, signal) => {
      const stream = options.caller.stream(request, callOptionsOf(options, signal));
      let thinking = false;
      for await (const event of stream) {
        if (event.type === 'content_block_start') {
          const block = event.content_block;
          if (block.type === 'thinking' || block.type === 'redacted_thinking') {
            thinking = true;
            push({ type: 'thinking-start' });
          } else if (block.type === 'tool_use') {
            push({ type: 'tool-input-start', toolUseId: block.id, name: block.name });
          }
        } else if (event.type === 'content_block_delta') {
          if (event.delta.type === 'text_delta')
            push({ type: 'text-delta', text: event.delta.text });
          else if (event.delta.type === 'thinking_delta') {
            push({ type: 'thinking-delta', thinking: event.delta.thinking });
          }
        } else if (event.type === 'content_block_stop' && thinking) {
          // Only thinking blocks need an explicit end, for the UI's thinking state.
          thinking = false;
          push({ type: 'thinking-end' });
        }
      }
      return stream.finalMessage();
    },
    push,
  );
  result.then(
    () => {
      done = true;
      wake?.();
    },
    (error: unknown) => {
      failure = { error };
      done = true;
      wake?.();
    },
  );

  return {
    result,
    async *[Symbol.asyncIterator]() {
      let index = 0;
      while (true) {
        if (index < buffered.length) {
          yield buffered[index++]!;
          continue;
        }
        if (done) {
          if (failure) throw failure.error;
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
  };
}

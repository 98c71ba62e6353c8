import type { Message, MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import {
  type CallHold,
  type CallOptions,
  type CostResult,
  type KeelClient,
  type KeelStream,
  type MessagesCallOptions,
  type MessagesCaller,
  type MessagesStream,
  rawStreamEvents,
  type RetryNotice,
  type TokenUsage,
} from '@keel/core';
import { KeelError } from '@keel/errors';
import { expandSearchResults } from './search-result-blocks.ts';

/** What one model call of a turn spent (complete or partial). */
export interface CallSpend {
  usage: TokenUsage | undefined;
  cost: CostResult | undefined;
}

/** Options of {@link budgetedCaller}. */
export interface BudgetedCallerOptions {
  /**
   * The client: retries, fallback, exact cost, the ledger, and the budgets. Every call reserves
   * its worst case in the client, computed from the request actually sent; nothing here holds
   * budget of its own.
   */
  client: KeelClient;
  /** Tools whose JSON output goes to the model as `search_result` blocks. */
  searchTools?: ReadonlySet<string>;
  /** Told what every call spent, including stopped and broken streams. */
  onSpend: (spend: CallSpend) => void;
  /** Told before the client retries a call (overload, rate limit, server or connection error). */
  onRetry?: (retry: RetryNotice) => void;
  /** Told when a call is admitted by the budgets (its hold taken), before it is sent. */
  onReserved?: (hold: CallHold | undefined) => void;
}

/**
 * The agent loop's `MessagesCaller` for a chat turn: core's KeelClient calls (stream events converted by
 * core's `rawStreamEvents`) with search results expanded, what each call spent reported, and the
 * client's retries and budget admissions passed on. Budgets are the client's: one path for every call.
 */
export function budgetedCaller(options: BudgetedCallerOptions): MessagesCaller {
  const { client, onSpend } = options;
  const searchTools = options.searchTools ?? new Set<string>();

  const clientOptions = (callOptions: MessagesCallOptions | undefined): CallOptions => {
    const forwarded: CallOptions = {};
    if (callOptions?.signal) forwarded.signal = callOptions.signal;
    if (callOptions?.tags) forwarded.tags = callOptions.tags;
    if (callOptions?.headers) forwarded.headers = callOptions.headers;
    if (options.onRetry) forwarded.onRetry = options.onRetry;
    if (options.onReserved) forwarded.onReserved = options.onReserved;
    return forwarded;
  };

  return {
    apiVersion: client.apiVersion,
    async create(request, callOptions) {
      try {
        const result = await client.call(
          expandSearchResults(request, searchTools),
          clientOptions(callOptions),
        );
        onSpend({ usage: result.usage, cost: result.cost });
        return result.message;
      } catch (error) {
        reportFailureSpend(error, onSpend);
        throw error;
      }
    },
    stream(request, callOptions): MessagesStream {
      let final: Message | undefined;
      let opened: KeelStream | undefined;
      let aborted = false;
      const events = async function* (): AsyncGenerator<MessageStreamEvent> {
        const stream = client.stream(
          expandSearchResults(request, searchTools),
          clientOptions(callOptions),
        );
        opened = stream;
        if (aborted) stream.abort();
        try {
          for await (const event of stream) {
            if (event.type === 'finish') {
              final = event.result.message;
              onSpend({ usage: event.result.usage, cost: event.result.cost });
            }
            yield* rawStreamEvents(event);
          }
        } catch (error) {
          reportFailureSpend(error, onSpend);
          throw error;
        }
      };
      const iterator = events();
      return {
        [Symbol.asyncIterator]: () => iterator,
        finalMessage: async () => {
          // The agent loop reads the events first; the finish event carried the message.
          if (!final)
            throw new KeelError('stream_incomplete', 'The stream ended without a message', {});
          return final;
        },
        abort: () => {
          aborted = true;
          opened?.abort();
        },
      };
    },
  };
}

/** Stopped and broken streams carry what was spent before they ended; the turn counts it. */
function reportFailureSpend(error: unknown, onSpend: (spend: CallSpend) => void): void {
  const spent = error as { details?: { usage?: TokenUsage }; cost?: CostResult };
  const cost = spent.cost;
  const usage = KeelError.is(error) ? spent.details?.usage : undefined;
  if (usage || cost) onSpend({ usage, cost });
}

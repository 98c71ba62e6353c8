import type { Message, MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import {
  type BudgetManager,
  type CallOptions,
  type BudgetReservation,
  type CostResult,
  type KeelClient,
  type KeelStream,
  type MessagesCallOptions,
  type MessagesCaller,
  type MessagesRequest,
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
  /** The client: retries, fallback, exact cost, and the ledger as a recorder. */
  client: KeelClient;
  /** Budgets: every model call reserves its worst case first and settles its actual cost. */
  budgets?: BudgetManager;
  /** Tools whose JSON output goes to the model as `search_result` blocks. */
  searchTools?: ReadonlySet<string>;
  /** A reservation already taken for the first call (the pre-flight check of the turn). */
  firstReservation?: BudgetReservation;
  /** Told what every call spent, including stopped and broken streams. */
  onSpend: (spend: CallSpend) => void;
  /** Told before the client retries a call (overload, rate limit, server or connection error). */
  onRetry?: (retry: RetryNotice) => void;
}

/**
 * The agent loop's `MessagesCaller` for a chat turn: core's KeelClient calls (stream events converted by
 * core's `rawStreamEvents`), each preceded by a budget reservation; every call goes through the client
 * (so the ledger records it with the turn's tags) and through the budgets.
 */
export function budgetedCaller(
  options: BudgetedCallerOptions,
): MessagesCaller & { releaseUnused(): Promise<void> } {
  const { client, budgets, onSpend } = options;
  const searchTools = options.searchTools ?? new Set<string>();
  let pending = options.firstReservation;

  const reserve = async (request: MessagesRequest, callOptions?: MessagesCallOptions) => {
    if (pending) {
      const reservation = pending;
      pending = undefined;
      return reservation;
    }
    if (!budgets) return undefined;
    const { inputTokens } = await client.countTokens(request, { mode: 'local' });
    return budgets.reserve({
      tags: {
        user: callOptions?.tags?.user,
        session: callOptions?.tags?.session,
        feature: callOptions?.tags?.feature,
      },
      model: request.model,
      estimatedInputTokens: inputTokens,
      maxOutputTokens: request.max_tokens,
    });
  };

  const clientOptions = (callOptions: MessagesCallOptions | undefined): CallOptions => {
    const forwarded: CallOptions = {};
    if (callOptions?.signal) forwarded.signal = callOptions.signal;
    if (callOptions?.tags) forwarded.tags = callOptions.tags;
    if (options.onRetry) forwarded.onRetry = options.onRetry;
    return forwarded;
  };

  return {
    /** Releases the pre-flight reservation when no call used it (a turn stopped before its call). */
    async releaseUnused() {
      const unused = pending;
      pending = undefined;
      await unused?.release().catch(() => {});
    },
    async create(request, callOptions) {
      const reservation = await reserve(request, callOptions);
      try {
        const result = await client.call(
          expandSearchResults(request, searchTools),
          clientOptions(callOptions),
        );
        onSpend({ usage: result.usage, cost: result.cost });
        await reservation?.settle({ cost: result.cost });
        return result.message;
      } catch (error) {
        await settleFailure(reservation, error, onSpend);
        throw error;
      }
    },
    stream(request, callOptions): MessagesStream {
      let final: Message | undefined;
      let opened: KeelStream | undefined;
      let aborted = false;
      const events = async function* (): AsyncGenerator<MessageStreamEvent> {
        const reservation = await reserve(request, callOptions);
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
              await reservation?.settle({ cost: event.result.cost });
            }
            yield* rawStreamEvents(event);
          }
        } catch (error) {
          await settleFailure(reservation, error, onSpend);
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

async function settleFailure(
  reservation: BudgetReservation | undefined,
  error: unknown,
  onSpend: (spend: CallSpend) => void,
): Promise<void> {
  // Stopped and broken streams carry what was spent before they ended; it is billed and counted.
  const spent = error as { details?: { usage?: TokenUsage }; cost?: CostResult };
  const cost = spent.cost;
  const usage = KeelError.is(error) ? spent.details?.usage : undefined;
  if (usage || cost) onSpend({ usage, cost });
  try {
    if (cost) await reservation?.settle({ cost });
    else await reservation?.release();
  } catch {
    // A reservation that cannot be settled lapses on its own; the turn's own error matters more.
  }
}

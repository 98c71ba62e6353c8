import { computeCost } from '../../cost/compute-cost.ts';
import { BudgetExceededError } from '../budget-exceeded-error.ts';
import type { BudgetManager } from '../budget-manager.ts';

/** What one hammering run did. */
export interface HammerResult {
  /** Calls the budget admitted (and that then settled). */
  admitted: number;
  /** Calls refused with BudgetExceededError. */
  refused: number;
  /** Picodollars settled by this run, as decimal text (bigint does not cross JSON). */
  spentPicoUsd: string;
}

export interface HammerOptions {
  /** One manager per connection; calls are spread over them round-robin. */
  managers: BudgetManager[];
  /** How many calls to fire at once. */
  calls: number;
  /** The tags every call carries. */
  tags: { user?: string; feature?: string; session?: string };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fires `calls` concurrent reserve → (simulated call) → settle cycles. Each call reserves the
 * worst case of Haiku 4.5 with 1000 input and 1000 output tokens ($0.006) and settles an actual
 * output of 500-1000 tokens, so settles land while other reservations are pending.
 */
export async function hammerBudget(options: HammerOptions): Promise<HammerResult> {
  let admitted = 0;
  let refused = 0;
  let spent = 0n;
  await Promise.all(
    Array.from({ length: options.calls }, async (_, index) => {
      const budgets = options.managers[index % options.managers.length]!;
      await pause(Math.floor(Math.random() * 3));
      let reservation;
      try {
        reservation = await budgets.reserve({
          tags: options.tags,
          model: 'claude-haiku-4-5',
          estimatedInputTokens: 1000,
          maxOutputTokens: 1000,
          cacheWriteTtl: null,
        });
      } catch (error) {
        if (error instanceof BudgetExceededError) {
          refused += 1;
          return;
        }
        throw error;
      }
      await pause(Math.floor(Math.random() * 5));
      const cost = computeCost({
        model: 'claude-haiku-4-5',
        usage: { input_tokens: 1000, output_tokens: 500 + Math.floor(Math.random() * 501) },
      });
      const settled = await reservation.settle({ cost });
      admitted += 1;
      spent += settled.picoUsd;
    }),
  );
  return { admitted, refused, spentPicoUsd: spent.toString() };
}

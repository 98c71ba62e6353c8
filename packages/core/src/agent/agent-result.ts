import type { TokenCounts } from '@keel/protocol';
import type { Message, MessageParam, StopReason } from '@anthropic-ai/sdk/resources/messages';
import type { ToolCallRecord } from '../tools/execute-tool-call.ts';

/** Why the loop stopped. Only `completed` means the model finished its answer. */
export type AgentOutcome =
  /** The model ended its turn (`end_turn` or a stop sequence). */
  | 'completed'
  /** The model still wanted tools when the iteration cap was reached. */
  | 'max_iterations'
  /** The model still wanted tools when the cost cap was reached. */
  | 'max_cost'
  /**
   * The last response was cut off: `max_tokens`, or `model_context_window_exceeded` (the context
   * window filled up); `stopReason` says which.
   */
  | 'truncated'
  /** The model refused (`stop_reason: refusal`). */
  | 'refused'
  /** The run's signal was aborted. */
  | 'aborted';

/** What a run returns: always a typed outcome, never a silent stop. */
export interface AgentResult {
  outcome: AgentOutcome;
  /** The whole conversation: the input messages, then every turn the run added. */
  messages: MessageParam[];
  /** Only the turns the run added. */
  newMessages: MessageParam[];
  /** The last model response, when there was one. */
  finalMessage: Message | undefined;
  /** The text blocks of the last response, joined. */
  text: string;
  /** The stop reason of the last response. */
  stopReason: StopReason | null;
  /** Model calls made. */
  iterations: number;
  /** Tokens summed over every model call of the run. */
  usage: TokenCounts;
  /** Cost of the run in picodollars (1e-12 USD), exact, as far as it could be priced. */
  costPicoUsd: bigint;
  /** The same cost as exact decimal USD text, e.g. "0.0034375". */
  costUsdText: string;
  /** The same cost as a float, for display and metrics only; compare and add `costPicoUsd`. */
  costUsd: number;
  /** False when some response could not be priced (its cost is unknown, not zero). */
  costComplete: boolean;
  /** Every tool call, in the order the model asked for them. */
  toolCalls: ToolCallRecord[];
}

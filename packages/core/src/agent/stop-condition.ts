import type { Message, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import { formatPicoUsd, picoUsdFromUsd } from '../cost/pico-usd.ts';
import type { ToolCallRecord } from '../tools/execute-tool-call.ts';
import type { AgentOutcome } from './agent-result.ts';

/** Where the run stands when the model asks for more (tools, or a paused turn to continue). */
export interface AgentStepState {
  /** Model calls made, the one just answered included. */
  iterations: number;
  /** What the priced responses cost so far, in picodollars. */
  costPicoUsd: bigint;
  /** False when some response could not be priced (its cost is unknown, not zero). */
  costComplete: boolean;
  /** The response just received. */
  message: Message;
  /** The tool calls it asks for, not yet run. */
  toolUses: readonly ToolUseBlock[];
  /** The tool calls of earlier steps. */
  toolCalls: readonly ToolCallRecord[];
}

/**
 * Why a condition ends the run. `completed` ends it without running or answering the tool calls
 * (the call itself is the answer, as for an answer tool); the other outcomes answer each pending
 * call as not run, with `reason`, so the transcript stays valid to resume.
 */
export interface AgentStop {
  outcome: Extract<AgentOutcome, 'completed' | 'max_iterations' | 'max_cost'>;
  /** Said to the model in each unanswered tool call's result. */
  reason: string;
}

/**
 * Decides, each time the model asks for more, whether the run ends here. Returns undefined to go
 * on. Checked before the step's tools run.
 */
export type StopCondition = (state: AgentStepState) => AgentStop | undefined;

/** Ends the run with `max_iterations` once `count` model calls have been made. */
export function stepCountIs(count: number): StopCondition {
  return (state) =>
    state.iterations >= count
      ? { outcome: 'max_iterations', reason: `the agent reached its limit of ${count} model calls` }
      : undefined;
}

/**
 * Ends the run with `max_cost` once the priced responses have cost `usd` or more, compared
 * exactly in picodollars (`usd` as a number or a decimal string such as "0.05").
 */
export function costExceeds(usd: number | string): StopCondition {
  const limit = picoUsdFromUsd(usd, 'cost limit');
  return (state) =>
    state.costPicoUsd >= limit
      ? {
          outcome: 'max_cost',
          reason: `the agent reached its cost limit of $${formatPicoUsd(limit)}`,
        }
      : undefined;
}

/**
 * Ends the run, as `completed`, when the model calls the tool `name`; the call is not run. For an
 * answer tool whose input is the result.
 */
export function toolCalled(name: string): StopCondition {
  return (state) =>
    state.toolUses.some((toolUse) => toolUse.name === name)
      ? { outcome: 'completed', reason: `the model called ${name}` }
      : undefined;
}

/** Stops when any condition does, with the first one's stop (in the order given). */
export function anyOf(...conditions: StopCondition[]): StopCondition {
  return (state) => {
    for (const condition of conditions) {
      const stop = condition(state);
      if (stop) return stop;
    }
    return undefined;
  };
}

/** Stops when every condition does, with the last one's stop. */
export function allOf(...conditions: StopCondition[]): StopCondition {
  return (state) => {
    let stop: AgentStop | undefined;
    for (const condition of conditions) {
      stop = condition(state);
      if (!stop) return undefined;
    }
    return stop;
  };
}

import type { AgentResult } from '@keel/core';
import type { OutcomeNotice, TurnOutcome } from '@keel/protocol';

export {
  parseTurnOutcome,
  turnOutcomes,
  type OutcomeNotice,
  type TurnOutcome,
} from '@keel/protocol';

/** The outcome of a finished agent run (the agent says `truncated` for both kinds of cut). */
export function turnOutcome(result: Pick<AgentResult, 'outcome' | 'stopReason'>): TurnOutcome {
  switch (result.outcome) {
    case 'truncated':
      return result.stopReason === 'model_context_window_exceeded'
        ? 'context_exceeded'
        : 'truncated';
    case 'aborted':
      return 'stopped';
    default:
      return result.outcome;
  }
}

/** Options of {@link describeOutcome}. */
export interface DescribeOutcomeOptions {
  /** Model calls the turn made, when known (live answers); said in the `max_iterations` notice. */
  steps?: number;
}

/**
 * The words for an outcome, shared by the web UI (sent in the `done` event and with stored
 * messages) and `keel chat`: undefined for `completed`, which needs no notice.
 */
export function describeOutcome(
  outcome: TurnOutcome,
  options: DescribeOutcomeOptions = {},
): OutcomeNotice | undefined {
  switch (outcome) {
    case 'completed':
      return undefined;
    case 'truncated':
      return {
        title: 'Answer cut off',
        body: 'The answer reached the length limit and was cut off. Ask the assistant to continue, or ask for a shorter answer.',
      };
    case 'context_exceeded':
      return {
        title: 'Conversation too long',
        body: "The conversation filled the model's context window, so the answer was cut off. Start a new conversation to go on.",
      };
    case 'max_iterations': {
      const steps = options.steps;
      return {
        title: steps ? `Stopped after ${steps} tool steps` : 'Stopped at the tool-step limit',
        body: `The assistant reached its limit of ${steps ? `${steps} ` : ''}tool steps before it finished. Ask it to continue, or narrow the question.`,
      };
    }
    case 'max_cost':
      return {
        title: 'Stopped at the cost limit',
        body: 'The assistant reached the cost limit for one answer before it finished. Ask it to continue, or narrow the question.',
      };
    case 'refused':
      return {
        title: 'Request declined',
        body: 'The model declined to answer this request, so it is left out of the conversation. Rephrase it, or ask about something else.',
      };
    case 'stopped':
      return {
        title: 'Answer stopped',
        body: 'The answer was stopped before it finished. Send a message to go on.',
      };
  }
}

/**
 * How an answer ended. Only `completed` is a finished answer; every other outcome is shown to
 * the person with what they can do next, so a cut-off answer never passes for a complete one.
 */
export type TurnOutcome =
  /** The model finished its answer. */
  | 'completed'
  /** Cut off at `max_tokens`. */
  | 'truncated'
  /** Cut off because the conversation filled the model's context window. */
  | 'context_exceeded'
  /** The model still wanted tools when the turn's tool-step cap was reached. */
  | 'max_iterations'
  /** The model still wanted tools when the turn's cost cap was reached. */
  | 'max_cost'
  /** The model declined to answer (`stop_reason: refusal`). */
  | 'refused'
  /** The person stopped the answer. */
  | 'stopped';

/** Every outcome, for validating stored values. */
export const turnOutcomes: readonly TurnOutcome[] = [
  'completed',
  'truncated',
  'context_exceeded',
  'max_iterations',
  'max_cost',
  'refused',
  'stopped',
];

/** What the person is told about an answer that did not end normally. */
export interface OutcomeNotice {
  /** A short headline: "Answer cut off". */
  title: string;
  /** What happened and what to do next, in a sentence or two. */
  body: string;
}

/** A stored outcome label read back, or undefined when it is not one of ours. */
export function parseTurnOutcome(value: unknown): TurnOutcome | undefined {
  return turnOutcomes.find((outcome) => outcome === value);
}

import type { StopReason } from '@anthropic-ai/sdk/resources/messages/messages';

/**
 * Stop reasons that mean the answer was cut off, not finished:
 * - `max_tokens`: the request's output limit was reached;
 * - `model_context_window_exceeded`: input plus output filled the model's context window (current
 *   models answer this instead of a 400 when input + max_tokens pass the window). Source:
 *   https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons
 * Everything that reads a stop reason (the client, the agent loop, structured output, summaries)
 * asks this one function, so a new truncating stop reason is added in one place.
 */
export const truncationStopReasons: readonly StopReason[] = [
  'max_tokens',
  'model_context_window_exceeded',
];

/** True when a response with this stop reason is incomplete. */
export function isTruncationStop(stopReason: StopReason | string | null | undefined): boolean {
  return stopReason === 'max_tokens' || stopReason === 'model_context_window_exceeded';
}

/** A short phrase for messages: where the answer was cut off. */
export function truncationCause(
  stopReason: StopReason | string | null | undefined,
  maxTokens: number,
): string {
  return stopReason === 'model_context_window_exceeded'
    ? 'when the context window filled up (model_context_window_exceeded)'
    : `at max_tokens (${maxTokens})`;
}

import { ApiError } from '../api/api-error.ts';
import type { TurnError } from '../chat/chat-turn.ts';

/** Any caught value as a displayable error. */
export function toTurnError(caught: unknown): TurnError {
  if (caught instanceof ApiError) {
    return {
      code: caught.code,
      message: caught.message,
      details: caught.details,
      ...(caught.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: caught.retryAfterSeconds }
        : {}),
    };
  }
  return {
    code: 'unexpected',
    message: caught instanceof Error ? caught.message : 'Something unexpected happened.',
  };
}

import { KeelError, type TurnErrorCode } from '@keel/errors';
import { ownMessageForBrowser } from '../http/browser-message.ts';

/** Why a turn failed, in words for the person chatting, and what happens to the turn. */
export interface TurnError {
  /** Machine-readable, stable: the `code` of the `error` event. */
  code: TurnErrorCode;
  /** What went wrong, in plain language, then what to do next. Never upstream JSON or internals. */
  message: string;
  /**
   * The request itself was refused (an upstream 4xx other than 408, 409 and 429, or a message that
   * cannot fit): sending it again would fail again, so the turn is stored `failed` and kept out of
   * later requests. Otherwise (overload, 5xx, connection, timeout, budget) the user's message
   * stays in the conversation and the broken answer is stored `incomplete`, as before.
   */
  refused: boolean;
  /** Seconds to wait before trying again, when the service said so. */
  retryAfterSeconds?: number;
}

const sayings: Record<TurnErrorCode, { message: string; refused: boolean }> = {
  request_too_large: {
    message:
      'The message was too large for the AI service to accept. It was not added to the conversation; send it again with fewer or smaller images.',
    refused: true,
  },
  request_rejected: {
    message:
      'The AI service could not accept this message (for example, an image it could not read). It was not added to the conversation; you can keep chatting, or send it again without the attachment.',
    refused: true,
  },
  service_misconfigured: {
    message:
      'The assistant could not use the AI service (its access was refused). The message was not added to the conversation; please try again later or tell the site operator.',
    refused: true,
  },
  message_too_long: {
    message:
      'This message is too long for the conversation. It was not added; send a shorter message or start a new session.',
    refused: true,
  },
  service_busy: {
    message:
      'The AI service is busy right now and the answer could not be completed. Wait a moment and send your message again.',
    refused: false,
  },
  service_unavailable: {
    message:
      'The AI service could not be reached. Wait a moment and send your message again; the conversation so far is kept.',
    refused: false,
  },
  answer_interrupted: {
    message:
      'The answer was cut off by a connection problem; what arrived is kept. Send your message again to get a full answer.',
    refused: false,
  },
  answer_timeout: {
    message:
      'The answer took too long and was stopped. Send your message again, or ask a shorter question.',
    refused: false,
  },
  turn_deadline_exceeded: {
    message:
      'The answer took too long and was stopped; what it had written so far is kept. Send your message again, perhaps asking for something shorter.',
    refused: false,
  },
  budget_exceeded: {
    message:
      'The spending limit for this conversation or account has been reached, so no answer was produced. Try again when the limit resets, or ask the site operator to raise it.',
    refused: false,
  },
  server_shutdown: {
    message:
      'The server is shutting down; the answer was cut short. Send your message again shortly.',
    refused: false,
  },
  internal_error: {
    message:
      'Something failed unexpectedly on the server. Try again; if it keeps failing, start a new session.',
    refused: false,
  },
};

/** The plain-language entry for a code. */
export function turnErrorFor(code: TurnErrorCode, retryAfterSeconds?: number): TurnError {
  return {
    code,
    ...sayings[code],
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

/** Failure kinds (core's classification) that say the service could not be reached in time. */
const unreachableKinds = new Set(['connection', 'timeout', 'request_timeout']);

/** The code for an upstream answer that refused the request (a 4xx that retrying cannot fix). */
function refusedCode(status: number | undefined, errorType: string | undefined): TurnErrorCode {
  if (status === 413 || errorType === 'request_too_large') return 'request_too_large';
  if (status === 401 || status === 403 || status === 404) return 'service_misconfigured';
  return 'request_rejected';
}

function transientCode(kind: string | undefined): TurnErrorCode {
  if (kind && unreachableKinds.has(kind)) return 'service_unavailable';
  return 'service_busy';
}

function retryAfter(details: Record<string, unknown>): number | undefined {
  if (typeof details.retryAfterSeconds === 'number') return details.retryAfterSeconds;
  if (typeof details.retryAfterMs === 'number') return Math.ceil(details.retryAfterMs / 1000);
  if (typeof details.retryAt === 'number') {
    return Math.max(1, Math.ceil((details.retryAt - Date.now()) / 1000));
  }
  return undefined;
}

/**
 * Maps any failure of a turn to what the user is told and whether the turn is stored `failed`.
 * Decided on typed error codes and their structured fields only (never on message text). The
 * words are the plain ones for the code, unless the error's own message was written for the
 * person (browser-message.ts, the rule HTTP error bodies follow too); the upstream error body,
 * request ids and stacks stay in the server log.
 */
export function describeTurnError(error: unknown): TurnError {
  const turnError = classifyTurnError(error);
  const own = ownMessageForBrowser(error);
  return own ? { ...turnError, message: own.message } : turnError;
}

function classifyTurnError(error: unknown): TurnError {
  if (!KeelError.is(error)) return turnErrorFor('internal_error');
  const details = error.details;
  const kind = typeof details.kind === 'string' ? details.kind : undefined;
  switch (error.code) {
    case 'claude_client_error':
      return turnErrorFor(
        refusedCode(
          typeof details.status === 'number' ? details.status : undefined,
          typeof details.errorType === 'string' ? details.errorType : undefined,
        ),
      );
    case 'retry_exhausted': {
      const last = typeof details.lastFailure === 'string' ? details.lastFailure : undefined;
      if (last === 'client_error') {
        const status = typeof details.lastStatus === 'number' ? details.lastStatus : undefined;
        return turnErrorFor(refusedCode(status, undefined));
      }
      return turnErrorFor(transientCode(last), retryAfter(details));
    }
    case 'circuit_open':
      return turnErrorFor('service_busy', retryAfter(details));
    case 'call_timeout':
      return turnErrorFor('answer_timeout');
    case 'stream_interrupted':
    case 'stream_ended_early':
      return turnErrorFor('answer_interrupted');
    case 'context_overflow':
      return turnErrorFor('message_too_long');
    case 'turn_deadline_exceeded':
      return turnErrorFor('turn_deadline_exceeded');
    case 'budget_exceeded':
    case 'budget_unpriced_model':
      return turnErrorFor('budget_exceeded', retryAfter(details));
    default:
      break;
  }
  if (error.code.startsWith('claude_')) {
    // Any other classified API failure (rate_limited, overloaded, server_error, connection...).
    return turnErrorFor(
      transientCode(kind ?? error.code.slice('claude_'.length)),
      retryAfter(details),
    );
  }
  return turnErrorFor('internal_error');
}

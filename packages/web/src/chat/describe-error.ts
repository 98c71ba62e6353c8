import type { KeelErrorCode, TurnErrorCode } from '@keel/errors';
import type { TurnError } from './chat-turn.ts';

/** An error as a person should read it. */
export interface ErrorDescription {
  /** A short headline. */
  title: string;
  /** What happened and what to do, in a sentence or two. */
  body: string;
  /** `wait`: passes with time; `budget`: a spending cap; `upstream`: the model or the link failed. */
  kind: 'wait' | 'budget' | 'upstream' | 'auth' | 'other';
}

/** Options of {@link describeError}. */
export interface DescribeErrorOptions {
  /** Now, for "try again at". Default Date.now(). */
  nowMs?: number;
  /** Formats a clock time. Default the browser's locale, hours to seconds. */
  formatTime?: (date: Date) => string;
}

const usd = (value: unknown) => {
  const amount = Number(value);
  return Number.isFinite(amount) ? `$${amount.toFixed(amount < 1 ? 4 : 2)}` : String(value);
};

/**
 * How one code reads. Fixed words, or a title over the server's own sentence (`body` left out):
 * the server sends a sentence only when it was written for the person, and plain words
 * otherwise (server/src/http/browser-message.ts), so it is safe to show as it is.
 */
type Wording =
  | { kind: ErrorDescription['kind']; title: string; body?: string }
  | ((error: TurnError, options: DescribeErrorOptions) => ErrorDescription);

/** The codes a browser can be told about: API errors, and the chat stream's turn errors. */
type ServerErrorCode = KeelErrorCode | TurnErrorCode;

/** Codes this page makes up itself, for failures no server reported. */
type PageErrorCode = 'network_error' | 'stream_ended' | 'turn_failed';

const unexpected = { kind: 'other', title: 'Something went wrong' } as const;
const notAnswered = { kind: 'other', title: 'Not answered' } as const;
const refused = { kind: 'other', title: 'Not allowed' } as const;
const busy = {
  kind: 'upstream',
  title: 'The model is busy',
  body: 'The model service is taking too many requests right now. Try again in a minute.',
} as const;
const overloaded = {
  kind: 'upstream',
  title: 'The model is overloaded',
  body: 'The model service did not answer, even after retries. Try again in a minute.',
} as const;
const failing = {
  kind: 'upstream',
  title: 'The model service failed',
  body: 'The model service had an error and did not answer. Try again in a minute.',
} as const;
const unreachable = {
  kind: 'upstream',
  title: 'The model is unreachable',
  body: 'The connection to the model service failed. Try again in a minute.',
} as const;
const tooSlow = {
  kind: 'upstream',
  title: 'The model is too slow',
  body: 'The model service took too long to answer. Try again in a minute.',
} as const;
const connectionLost = { kind: 'upstream', title: 'Connection lost' } as const;

const wordings = {
  rate_limited: describeRateLimit,
  budget_exceeded: describeBudget,
  unauthenticated: {
    kind: 'auth',
    title: 'Signed out',
    body: 'Your sign-in has ended. Sign in again.',
  },
  turn_in_progress: {
    kind: 'wait',
    title: 'Still answering',
    body: 'An answer is already being written in this conversation. Wait for it, or stop it.',
  },
  server_shutdown: {
    kind: 'upstream',
    title: 'Server restarting',
    body: 'The server is shutting down, so the answer was cut short. Try again in a moment.',
  },
  payload_too_large: { kind: 'other', title: 'Too large' },

  // Claude failures, by kind; the server sends plain words for them, never Claude's reply.
  claude_rate_limited: busy,
  claude_overloaded: overloaded,
  claude_server_error: failing,
  claude_conflict: failing,
  claude_connection: unreachable,
  claude_timeout: tooSlow,
  claude_request_timeout: tooSlow,
  claude_client_error: notAnswered,
  claude_aborted: { kind: 'other', title: 'Stopped' },
  claude_unknown: unexpected,
  retry_exhausted: overloaded,
  circuit_open: {
    kind: 'upstream',
    title: 'The model is unavailable',
    body: 'Too many recent calls failed, so new ones are paused for a moment. Try again shortly.',
  },
  call_timeout: tooSlow,

  // A failed turn, as the chat stream's `error` event names it (server/src/chat/turn-error.ts).
  request_too_large: notAnswered,
  request_rejected: notAnswered,
  service_misconfigured: notAnswered,
  message_too_long: notAnswered,
  service_busy: { kind: 'upstream', title: 'The model is busy' },
  service_unavailable: { kind: 'upstream', title: 'The model is unreachable' },
  answer_interrupted: connectionLost,
  answer_timeout: { kind: 'upstream', title: 'The model is too slow' },
  turn_deadline_exceeded: { kind: 'upstream', title: 'The answer took too long' },

  // The rest: the server's sentence under a plain title.
  validation_failed: unexpected,
  invalid_json: unexpected,
  cross_site_request: refused,
  forbidden: refused,
  registration_closed: refused,
  invite_required: refused,
  account_exists: unexpected,
  login_throttled: unexpected,
  registration_throttled: unexpected,
  unsupported_media_type: unexpected,
  image_type_mismatch: unexpected,
  image_unreadable: unexpected,
  image_dimensions_too_large: unexpected,
  too_many_images: unexpected,
  not_found: unexpected,
  conversation_not_found: unexpected,
  budget_unpriced_model: unexpected,
  call_aborted: unexpected,
  stream_ended_early: connectionLost,
  stream_interrupted: connectionLost,
  stream_incomplete: unexpected,
  stream_consumed: unexpected,
  stream_abandoned: unexpected,
  output_truncated: unexpected,
  token_count_client_missing: unexpected,
  context_overflow: unexpected,
  unknown_model: unexpected,
  record_replay_config_invalid: unexpected,
  emulator_admin_failed: unexpected,
  scenario_file_unreadable: unexpected,
  budget_reservation_closed: unexpected,
  tool_definition_invalid: unexpected,
  thinking_config_invalid: unexpected,
  structured_output_truncated: unexpected,
  structured_output_invalid: unexpected,
  structured_output_refused: unexpected,
  structured_output_missing: unexpected,
  structured_output_aborted: unexpected,
  batch_interrupted: unexpected,
  prompt_file_invalid: unexpected,
  prompt_variables_invalid: unexpected,
  prompt_unknown: unexpected,
  media_type_unsupported: unexpected,
  media_too_large: unexpected,
  media_unreadable: unexpected,
  storage_write_failed: unexpected,
  storage_lock_timeout: unexpected,
  storage_bad_value: unexpected,
  knowledge_config_invalid: unexpected,
  knowledge_unsupported_format: unexpected,
  knowledge_binary_file: unexpected,
  knowledge_parse_failed: unexpected,
  knowledge_source_not_found: unexpected,
  knowledge_embedding_failed: unexpected,
  listen_failed: unexpected,
  internal_error: unexpected,
  http_error: unexpected,

  // This page's own.
  // A stored turn the model service refused: the server kept its reason in plain words.
  turn_failed: notAnswered,
  network_error: connectionLost,
  stream_ended: connectionLost,
} satisfies Record<ServerErrorCode | PageErrorCode, Wording>;

/** Turns the server's error codes into words: what happened, and when or how to go on. */
export function describeError(
  error: TurnError,
  options: DescribeErrorOptions = {},
): ErrorDescription {
  const wording: Wording = Object.hasOwn(wordings, error.code)
    ? wordings[error.code as keyof typeof wordings]
    : unexpected;
  if (typeof wording === 'function') return wording(error, options);
  return { kind: wording.kind, title: wording.title, body: wording.body ?? error.message };
}

function describeRateLimit(error: TurnError, options: DescribeErrorOptions): ErrorDescription {
  const details = error.details ?? {};
  const seconds = error.retryAfterSeconds ?? Number(details.retryAfterSeconds);
  const when = Number.isFinite(seconds) && seconds > 0;
  const at = when
    ? (options.formatTime ?? ((date) => date.toLocaleTimeString()))(
        new Date((options.nowMs ?? Date.now()) + seconds * 1000),
      )
    : '';
  const limit =
    typeof details.limit === 'number' ? ` (the limit is ${details.limit} a minute)` : '';
  return {
    kind: 'wait',
    title: 'Too many messages',
    body: when
      ? `You are sending messages faster than allowed${limit}. Try again in ${seconds} s, at ${at}.`
      : `You are sending messages faster than allowed${limit}. Wait a minute, then try again.`,
  };
}

function describeBudget(error: TurnError): ErrorDescription {
  const details = error.details ?? {};
  if (typeof details.scope !== 'string' || details.limit === undefined) {
    return { kind: 'budget', title: 'Budget reached', body: error.message };
  }
  const scope =
    details.scope === 'session'
      ? 'this conversation'
      : details.scope === 'user'
        ? 'your account'
        : details.scope === 'feature'
          ? 'this assistant'
          : 'everyone';
  const period =
    details.period === 'day'
      ? 'daily '
      : details.period === 'month'
        ? 'monthly '
        : details.period === 'total'
          ? ''
          : `${String(details.period)} `;
  const spent = details.spent !== undefined ? ` ${usd(details.spent)} is already spent.` : '';
  const next =
    details.scope === 'session'
      ? ' Start a new conversation to go on.'
      : details.period === 'day'
        ? ' It resets tomorrow.'
        : '';
  return {
    kind: 'budget',
    title: 'Budget reached',
    body: `The ${period}budget of ${scope} is ${usd(details.limit)}.${spent}${next}`,
  };
}

/** A retry while answering, as a line: "The model is overloaded; retry 2 in 1.5 s". */
export function describeRetry(retry: { attempt: number; delayMs: number; reason: string }): string {
  const why =
    retry.reason === 'overloaded'
      ? 'The model is overloaded'
      : retry.reason === 'rate_limited'
        ? 'The model is rate limited'
        : retry.reason === 'server_error'
          ? 'The model service had an error'
          : retry.reason === 'connection_error'
            ? 'The connection to the model dropped'
            : `The model call failed (${retry.reason})`;
  return `${why}; retry ${retry.attempt} in ${(retry.delayMs / 1000).toFixed(1)} s`;
}

import { KeelError, type KeelErrorCode } from '@keel/errors';
import { describeTurnError } from '../chat/turn-error.ts';
import { ownMessageForBrowser } from './browser-message.ts';

/** A request the server refuses for a reason of its own (bad body, busy session, too large). */
export class RequestError extends KeelError<Record<string, unknown>> {
  constructor(code: KeelErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/**
 * The HTTP status of every error code. A failure of Claude is the gateway's failure: 503 when the
 * service is busy (a retry later can work), 504 when it was too slow, 502 when it answered badly
 * or refused a request the server built. Failures that are Keel's own (a bug, storage,
 * configuration) are 500s.
 */
const statusByCode = {
  validation_failed: 400,
  invalid_json: 400,
  image_type_mismatch: 400,
  image_unreadable: 400,
  image_dimensions_too_large: 400,
  too_many_images: 400,
  unauthenticated: 401,
  budget_exceeded: 402,
  budget_unpriced_model: 402,
  forbidden: 403,
  cross_site_request: 403,
  registration_closed: 403,
  invite_required: 403,
  not_found: 404,
  conversation_not_found: 404,
  account_exists: 409,
  turn_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  login_throttled: 429,
  registration_throttled: 429,

  claude_client_error: 502,
  claude_server_error: 502,
  claude_connection: 502,
  claude_rate_limited: 503,
  claude_overloaded: 503,
  claude_conflict: 503,
  claude_request_timeout: 504,
  claude_timeout: 504,
  claude_aborted: 500,
  claude_unknown: 500,
  retry_exhausted: 503,
  circuit_open: 503,
  call_timeout: 504,
  server_shutdown: 503,

  turn_deadline_exceeded: 500,
  call_aborted: 500,
  stream_ended_early: 500,
  stream_interrupted: 500,
  stream_incomplete: 500,
  stream_consumed: 500,
  stream_abandoned: 500,
  output_truncated: 500,
  token_count_client_missing: 500,
  context_overflow: 500,
  unknown_model: 500,
  record_replay_config_invalid: 500,
  emulator_admin_failed: 500,
  scenario_file_unreadable: 500,
  budget_reservation_closed: 500,
  tool_definition_invalid: 500,
  thinking_config_invalid: 500,
  structured_output_truncated: 500,
  structured_output_invalid: 500,
  structured_output_refused: 500,
  structured_output_missing: 500,
  structured_output_aborted: 500,
  batch_interrupted: 500,
  prompt_file_invalid: 500,
  prompt_variables_invalid: 500,
  prompt_unknown: 500,
  media_type_unsupported: 500,
  media_too_large: 500,
  media_unreadable: 500,
  storage_write_failed: 500,
  storage_lock_timeout: 500,
  storage_bad_value: 500,
  knowledge_config_invalid: 500,
  knowledge_unsupported_format: 500,
  knowledge_binary_file: 500,
  knowledge_parse_failed: 500,
  knowledge_source_not_found: 500,
  knowledge_embedding_failed: 500,
  listen_failed: 500,
  internal_error: 500,
  http_error: 500,
} satisfies Record<KeelErrorCode, number>;

/** The HTTP status an error code is answered with. */
export function httpStatusOf(code: KeelErrorCode): number {
  return statusByCode[code];
}

/** The one JSON error shape of the API. */
export interface ErrorBody {
  error: { code: KeelErrorCode; message: string; details?: unknown };
}

/**
 * Maps any thrown value to a status and the JSON error body. What the body may say is decided by
 * browser-message.ts, as for the chat stream: the error's own message and details when they were
 * written for the requester, otherwise plain words for its code; internals never leak.
 */
export function errorResponse(error: unknown): {
  status: number;
  body: ErrorBody;
  retryAfterSeconds?: number;
} {
  const code = KeelError.is(error) ? error.code : 'internal_error';
  const own = ownMessageForBrowser(error);
  const said = own
    ? {
        message: own.message,
        details: own.details,
        retryAfterSeconds: own.details.retryAfterSeconds,
      }
    : { ...describeTurnError(error), details: {} };
  return {
    status: statusByCode[code],
    body: {
      error: {
        code,
        message: said.message,
        ...(Object.keys(said.details).length > 0 ? { details: said.details } : {}),
      },
    },
    ...(typeof said.retryAfterSeconds === 'number'
      ? { retryAfterSeconds: said.retryAfterSeconds }
      : {}),
  };
}

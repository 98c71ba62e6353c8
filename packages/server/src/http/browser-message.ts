import { KeelError, type KeelErrorCode } from '@keel/errors';

/**
 * Which errors may show their own message and details to a browser: those written for the person
 * who made the request, from that request's own facts (a bad body, a limit, a budget, a sign-in).
 * Every other error (Claude's reply, request ids, model names, file paths, stacks) stays in the
 * server log, and the browser gets plain words for its code instead (turn-error.ts). HTTP error
 * bodies (http-errors.ts) and the chat stream's `error` event (turn-error.ts) both ask here.
 */
const ownMessageReachesBrowser = {
  validation_failed: true,
  invalid_json: true,
  cross_site_request: true,
  payload_too_large: true,
  unsupported_media_type: true,
  image_type_mismatch: true,
  image_unreadable: true,
  image_dimensions_too_large: true,
  too_many_images: true,
  not_found: true,
  conversation_not_found: true,
  turn_in_progress: true,
  turn_deadline_exceeded: true,
  server_shutdown: true,
  unauthenticated: true,
  forbidden: true,
  account_exists: true,
  registration_closed: true,
  invite_required: true,
  rate_limited: true,
  login_throttled: true,
  registration_throttled: true,
  budget_exceeded: true,
  budget_unpriced_model: true,

  // Calls to Claude: upstream text, model names and request ids.
  claude_rate_limited: false,
  claude_overloaded: false,
  claude_server_error: false,
  claude_request_timeout: false,
  claude_conflict: false,
  claude_timeout: false,
  claude_connection: false,
  claude_aborted: false,
  claude_client_error: false,
  claude_unknown: false,
  retry_exhausted: false,
  circuit_open: false,
  call_timeout: false,
  call_aborted: false,
  stream_ended_early: false,
  stream_interrupted: false,
  stream_incomplete: false,
  stream_consumed: false,
  stream_abandoned: false,
  output_truncated: false,
  token_count_client_missing: false,
  // Operator-facing: the fix is in the configuration or the code, not in the request.
  context_overflow: false,
  unknown_model: false,
  record_replay_config_invalid: false,
  emulator_admin_failed: false,
  scenario_file_unreadable: false,
  budget_reservation_closed: false,
  tool_definition_invalid: false,
  thinking_config_invalid: false,
  structured_output_truncated: false,
  structured_output_invalid: false,
  structured_output_refused: false,
  structured_output_missing: false,
  structured_output_aborted: false,
  batch_interrupted: false,
  prompt_file_invalid: false,
  prompt_variables_invalid: false,
  prompt_unknown: false,
  media_type_unsupported: false,
  media_too_large: false,
  media_unreadable: false,
  storage_write_failed: false,
  storage_lock_timeout: false,
  storage_bad_value: false,
  knowledge_config_invalid: false,
  knowledge_unsupported_format: false,
  knowledge_binary_file: false,
  knowledge_parse_failed: false,
  knowledge_source_not_found: false,
  knowledge_embedding_failed: false,
  listen_failed: false,
  internal_error: false,
  http_error: false,
} satisfies Record<KeelErrorCode, boolean>;

/** The error's own message and details when a browser may see them, else undefined. */
export function ownMessageForBrowser(
  error: unknown,
): { message: string; details: Record<string, unknown> } | undefined {
  if (!KeelError.is(error) || !ownMessageReachesBrowser[error.code]) return undefined;
  return { message: error.message, details: error.details };
}

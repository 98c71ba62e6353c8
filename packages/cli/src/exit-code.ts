import { KeelError, type KeelErrorCode } from '@keel/errors';

/**
 * What `keel` exits with. Scripts branch on these, so they are part of the CLI's interface:
 * change them only on purpose, and update the table in packages/cli/README.md with them.
 */
export const exitCodes = {
  /** It worked. */
  success: 0,
  /** It failed, for a reason not listed below (a bug, storage, a partial failure). */
  failure: 1,
  /** The command line is wrong: unknown command or option, missing or malformed argument. */
  usage: 2,
  /** A file, setting or input is invalid: fix it, then run again. */
  invalid: 3,
  /** Claude refused the request itself (a 4xx): sending it again as it is fails again. */
  claudeRefused: 4,
  /** Claude or the service is unavailable (overloaded, rate limited, 5xx, timeout): try later. */
  unavailable: 5,
  /** A budget or rate limit refused the work. */
  limitReached: 6,
  /** Stopped before it finished (Ctrl-C, an abort). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

const { failure, invalid, claudeRefused, unavailable, limitReached, interrupted } = exitCodes;

/** The exit code for each error code; the compiler insists that every code has one. */
const exitCodeByCode = {
  claude_client_error: claudeRefused,
  context_overflow: claudeRefused,
  output_truncated: claudeRefused,
  structured_output_truncated: claudeRefused,
  structured_output_invalid: claudeRefused,
  structured_output_refused: claudeRefused,
  structured_output_missing: claudeRefused,

  claude_rate_limited: unavailable,
  claude_overloaded: unavailable,
  claude_server_error: unavailable,
  claude_request_timeout: unavailable,
  claude_conflict: unavailable,
  claude_timeout: unavailable,
  claude_connection: unavailable,
  retry_exhausted: unavailable,
  circuit_open: unavailable,
  call_timeout: unavailable,
  stream_ended_early: unavailable,
  stream_interrupted: unavailable,
  knowledge_embedding_failed: unavailable,
  server_shutdown: unavailable,
  turn_in_progress: unavailable,
  turn_deadline_exceeded: unavailable,

  budget_exceeded: limitReached,
  budget_unpriced_model: limitReached,
  rate_limited: limitReached,
  login_throttled: limitReached,
  registration_throttled: limitReached,

  claude_aborted: interrupted,
  call_aborted: interrupted,
  structured_output_aborted: interrupted,
  batch_interrupted: interrupted,

  validation_failed: invalid,
  unknown_model: invalid,
  record_replay_config_invalid: invalid,
  scenario_file_unreadable: invalid,
  tool_definition_invalid: invalid,
  thinking_config_invalid: invalid,
  prompt_file_invalid: invalid,
  prompt_variables_invalid: invalid,
  prompt_unknown: invalid,
  media_type_unsupported: invalid,
  media_too_large: invalid,
  media_unreadable: invalid,
  image_dimensions_too_large: invalid,
  too_many_images: invalid,
  image_type_mismatch: invalid,
  image_unreadable: invalid,
  payload_too_large: invalid,
  unsupported_media_type: invalid,
  invalid_json: invalid,
  knowledge_config_invalid: invalid,
  knowledge_unsupported_format: invalid,
  knowledge_binary_file: invalid,
  knowledge_parse_failed: invalid,
  knowledge_source_not_found: invalid,
  conversation_not_found: invalid,
  unauthenticated: invalid,
  forbidden: invalid,
  cross_site_request: invalid,
  account_exists: invalid,
  registration_closed: invalid,
  invite_required: invalid,
  not_found: invalid,

  claude_unknown: failure,
  budget_reservation_closed: failure,
  stream_incomplete: failure,
  stream_consumed: failure,
  stream_abandoned: failure,
  token_count_client_missing: failure,
  storage_write_failed: failure,
  storage_lock_timeout: failure,
  storage_bad_value: failure,
  emulator_admin_failed: failure,
  listen_failed: failure,
  internal_error: failure,
  http_error: failure,
} satisfies Record<KeelErrorCode, ExitCode>;

/**
 * The exit code for anything a command threw: by the `KeelError` code; a command-line parse
 * error from `node:util` parseArgs is a usage error; anything else is a plain failure.
 */
export function exitCodeFor(error: unknown): ExitCode {
  if (KeelError.is(error)) return exitCodeByCode[error.code];
  if (isParseArgsError(error)) return exitCodes.usage;
  return exitCodes.failure;
}

/** `node:util` parseArgs's own errors (unknown option, missing value, stray positional). */
export function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

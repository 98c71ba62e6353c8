import { claudeFailureKinds, type ClaudeErrorCode } from './claude-failure-kind.ts';

/**
 * Every `code` a `KeelError` is raised with, anywhere in Keel, plus the few the server writes
 * into a response without raising one. Maps keyed by it (HTTP status in the server, words in the
 * web UI, exit codes in the CLI) are typed `Record<KeelErrorCode, …>`, so adding a code here
 * fails the build until each of them says what the code means.
 */
const namedCodes = [
  // @keel/errors
  'validation_failed',
  // @keel/models
  'unknown_model',
  // @keel/emulator
  'record_replay_config_invalid',
  'emulator_admin_failed',
  'scenario_file_unreadable',
  // @keel/core: budgets
  'budget_exceeded',
  'budget_unpriced_model',
  'budget_reservation_closed',
  // @keel/core: calls to Claude (`claude_<kind>` codes are added below)
  'retry_exhausted',
  'circuit_open',
  'call_timeout',
  'call_aborted',
  'stream_ended_early',
  'stream_interrupted',
  'stream_incomplete',
  'stream_consumed',
  'stream_abandoned',
  'output_truncated',
  'token_count_client_missing',
  // @keel/core: building blocks
  'tool_definition_invalid',
  'thinking_config_invalid',
  'structured_output_truncated',
  'structured_output_invalid',
  'structured_output_refused',
  'structured_output_missing',
  'structured_output_aborted',
  'context_overflow',
  'conversation_not_found',
  'batch_interrupted',
  'prompt_file_invalid',
  'prompt_variables_invalid',
  'prompt_unknown',
  // @keel/core: images and documents
  'media_type_unsupported',
  'media_too_large',
  'media_unreadable',
  'image_dimensions_too_large',
  'too_many_images',
  // @keel/core: storage
  'storage_write_failed',
  'storage_lock_timeout',
  'storage_bad_value',
  // @keel/knowledge
  'knowledge_config_invalid',
  'knowledge_unsupported_format',
  'knowledge_binary_file',
  'knowledge_parse_failed',
  'knowledge_source_not_found',
  'knowledge_embedding_failed',
  // @keel/server: accounts and limits
  'unauthenticated',
  'forbidden',
  'account_exists',
  'registration_closed',
  'invite_required',
  'rate_limited',
  'login_throttled',
  'registration_throttled',
  // @keel/server: requests
  'invalid_json',
  'cross_site_request',
  'payload_too_large',
  'unsupported_media_type',
  'image_type_mismatch',
  'image_unreadable',
  'turn_in_progress',
  'turn_deadline_exceeded',
  'listen_failed',
  // @keel/server: written into a response without an error object
  'not_found',
  'server_shutdown',
  'internal_error',
  // @keel/server's HTTP client: an error response that carried no code Keel knows
  'http_error',
] as const;

/** Every error code, at run time: the named ones and one `claude_<kind>` per failure kind. */
export const keelErrorCodes: readonly KeelErrorCode[] = [
  ...namedCodes,
  ...claudeFailureKinds.map((kind): ClaudeErrorCode => `claude_${kind}`),
];

/** A stable, machine-readable error code: what failed, never how it is worded. */
export type KeelErrorCode = (typeof namedCodes)[number] | ClaudeErrorCode;

const known = new Set<string>(keelErrorCodes);

/** True when `value` is one of Keel's error codes (for codes read off the wire). */
export function isKeelErrorCode(value: unknown): value is KeelErrorCode {
  return typeof value === 'string' && known.has(value);
}

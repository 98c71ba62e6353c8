/**
 * The codes a failed chat turn is reported with in the server's `error` event: a failure as the
 * person chatting should hear it (what happened, what to do), not which part of Keel raised it.
 * The server chooses one from the `KeelErrorCode`; the web UI words each. Shared here so the two
 * cannot drift.
 */
export const turnErrorCodes = [
  'request_too_large',
  'request_rejected',
  'service_misconfigured',
  'message_too_long',
  'service_busy',
  'service_unavailable',
  'answer_interrupted',
  'answer_timeout',
  'budget_exceeded',
  'turn_deadline_exceeded',
  'server_shutdown',
  'internal_error',
] as const;

/** The code of a chat turn's `error` event. */
export type TurnErrorCode = (typeof turnErrorCodes)[number];

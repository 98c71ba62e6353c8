import { KeelError } from '@keel/errors';

/** A request the server refuses for a reason of its own (bad body, busy session, too large). */
export class RequestError extends KeelError<Record<string, unknown>> {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** The HTTP status of each error code; anything unlisted that is a KeelError is a 500. */
const statusByCode: Record<string, number> = {
  validation_failed: 400,
  invalid_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  cross_site_request: 403,
  registration_closed: 403,
  invite_required: 403,
  not_found: 404,
  conversation_not_found: 404,
  account_exists: 409,
  turn_in_progress: 409,
  budget_exceeded: 402,
  budget_unpriced_model: 402,
  payload_too_large: 413,
  unsupported_media_type: 415,
  image_type_mismatch: 400,
  image_unreadable: 400,
  image_dimensions_too_large: 400,
  too_many_images: 400,
  rate_limited: 429,
  login_throttled: 429,
  registration_throttled: 429,
  claude_api_error: 502,
  retry_exhausted: 503,
  circuit_open: 503,
  call_timeout: 504,
  server_shutdown: 503,
};

/** The one JSON error shape of the API. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Maps any thrown value to a status and the JSON error body; internals never leak. */
export function errorResponse(error: unknown): {
  status: number;
  body: ErrorBody;
  retryAfterSeconds?: number;
} {
  if (KeelError.is(error)) {
    const status = statusByCode[error.code] ?? 500;
    const details = error.details as Record<string, unknown>;
    const retryAfterSeconds =
      typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : undefined;
    if (status === 500) {
      return { status, body: { error: { code: error.code, message: 'Internal error' } } };
    }
    return {
      status,
      body: {
        error: {
          code: error.code,
          message: error.message,
          ...(details && Object.keys(details).length > 0 ? { details } : {}),
        },
      },
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    };
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'Internal error' } } };
}

/** The error types of the Claude API, by HTTP status. */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

const statusByType: Record<ApiErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/**
 * An error the emulator answers with, in the real API's shape:
 * `{"type":"error","error":{"type","message"},"request_id"}` with the matching status.
 */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly type: ApiErrorType,
    message: string,
    options: { status?: number; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = options.status ?? statusByType[type];
    this.headers = options.headers ?? {};
  }
  readonly headers: Record<string, string>;

  body(requestId: string): {
    type: 'error';
    error: { type: ApiErrorType; message: string };
    request_id: string;
  } {
    return {
      type: 'error',
      error: { type: this.type, message: this.message },
      request_id: requestId,
    };
  }
}

/** Shorthand for the most common error: a 400 `invalid_request_error`. */
export function invalidRequest(message: string): ApiError {
  return new ApiError('invalid_request_error', message);
}

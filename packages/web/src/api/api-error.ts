/** What the server said when it refused a request (`{ error: { code, message, details? } }`). */
export class ApiError extends Error {
  /** The machine-readable code, e.g. `rate_limited`, `budget_exceeded`. */
  readonly code: string;
  /** The HTTP status (0 when the server could not be reached). */
  readonly status: number;
  /** Structured facts of the refusal, as the server sent them. */
  readonly details: Record<string, unknown>;
  /** Seconds to wait before retrying (from `retry-after` or the details), when known. */
  readonly retryAfterSeconds: number | undefined;

  constructor(options: {
    code: string;
    message: string;
    status: number;
    details?: Record<string, unknown>;
    retryAfterSeconds?: number;
  }) {
    super(options.message);
    this.name = 'ApiError';
    this.code = options.code;
    this.status = options.status;
    this.details = options.details ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Reads a failed response as an ApiError, whatever its body holds. */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } })
    ?.error;
  const details =
    error && typeof error.details === 'object' && error.details !== null
      ? (error.details as Record<string, unknown>)
      : {};
  const header = Number(response.headers.get('retry-after'));
  const fromDetails = details.retryAfterSeconds;
  const retryAfterSeconds =
    typeof fromDetails === 'number' ? fromDetails : header > 0 ? header : undefined;
  return new ApiError({
    code: typeof error?.code === 'string' ? error.code : `http_${response.status}`,
    message:
      typeof error?.message === 'string'
        ? error.message
        : `The server answered ${response.status} ${response.statusText}`.trim(),
    status: response.status,
    details,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}

/** What a raw POST to the emulator answered. */
export interface RawAnswer {
  status: number;
  /** The parsed JSON body (an error body for a 4xx). */
  body: { type?: string; error?: { type: string; message: string } } & Record<string, unknown>;
}

/** Options for {@link postRaw}. */
export interface PostRawOptions {
  /** The emulator's base URL. */
  url: string;
  /** Path, default `/v1/messages`. */
  path?: string;
  /** The request body, sent as JSON exactly as given (no SDK in between to reshape it). */
  body: unknown;
  /** Extra headers (e.g. `anthropic-beta`). */
  headers?: Record<string, string>;
}

/**
 * POSTs a body over a real socket the way any HTTP client would, for request shapes the SDK's
 * types would not let a test write. Answers are JSON (no streaming).
 */
export async function postRaw(options: PostRawOptions): Promise<RawAnswer> {
  const response = await fetch(`${options.url}${options.path ?? '/v1/messages'}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'conformance-key',
      'anthropic-version': '2023-06-01',
      ...options.headers,
    },
    body: JSON.stringify(options.body),
  });
  return { status: response.status, body: (await response.json()) as RawAnswer['body'] };
}

import { apiErrorFrom } from './api-error.ts';
import { readChatEvents, type ChatEvent } from '@keel/protocol';

/** Options of {@link streamChat}. */
export interface StreamChatOptions {
  /** The server's origin; '' for the page's own. */
  baseUrl: string;
  /** The session to continue. */
  sessionId: string;
  /** The user's message. */
  text: string;
  /** Attached images, base64 without a data: prefix. */
  images: Array<{ mediaType: string; data: string }>;
  /** Aborts the request (the server then stops the answer). */
  signal?: AbortSignal;
  /** The fetch to use. Default the global one. */
  fetch?: typeof fetch;
}

/**
 * Sends a message and yields the answer's events. A refusal before the stream opens (rate limit,
 * budget, validation) throws an ApiError.
 */
export async function* streamChat(options: StreamChatOptions): AsyncGenerator<ChatEvent> {
  const request = options.fetch ?? fetch;
  const response = await request(
    `${options.baseUrl}/api/sessions/${encodeURIComponent(options.sessionId)}/messages`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      credentials: 'same-origin',
      body: JSON.stringify({ text: options.text, images: options.images }),
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  if (!response.ok) throw await apiErrorFrom(response);
  if (!response.body) return;
  yield* readChatEvents(response.body);
}

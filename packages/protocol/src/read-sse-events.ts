import { parseChatEvent, type ChatEvent } from './chat-events.ts';
import { SseParser, type SseMessage } from './sse-parser.ts';

/**
 * Reads a `text/event-stream` body as it arrives, one message at a time. Leaving early (an
 * error, a page navigating away) closes the connection.
 */
export async function* readSseEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<SseMessage, void, undefined> {
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      yield* parser.push(text);
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Reads a chat answer's body as chat events; unknown or malformed events are skipped. */
export async function* readChatEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ChatEvent, void, undefined> {
  for await (const message of readSseEvents(body)) {
    const event = parseChatEvent(message.event, message.data);
    if (event) yield event;
  }
}

import type Anthropic from '@anthropic-ai/sdk';
import type {
  Message,
  MessageCreateParamsBase,
  MessageStreamEvent,
} from '@anthropic-ai/sdk/resources/messages';

/** A Messages request without the `stream` flag: the caller decides how it is sent. */
export type MessagesRequest = Omit<MessageCreateParamsBase, 'stream'>;

/**
 * What a call is for, recorded by callers that keep a ledger. Same shape as the client's
 * `CallTags`, restated here so the blocks do not depend on the client.
 */
export interface MessagesCallTags {
  /** The product feature making the call. */
  feature?: string;
  /** An opaque id of the end user. */
  user?: string;
  /** The conversation or session id. */
  session?: string;
  /** The id of the prompt file used. */
  promptId?: string;
  /** The version (content hash) of that prompt file. */
  promptVersion?: string;
}

/** Per-call options every caller understands. */
export interface MessagesCallOptions {
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Extra HTTP headers (for example `x-keel-scenario` against the emulator). */
  headers?: Record<string, string>;
  /** What the call is for; recorded by callers that keep a ledger. */
  tags?: MessagesCallTags;
}

/** A streamed response: the raw events, then the accumulated message. */
export interface MessagesStream extends AsyncIterable<MessageStreamEvent> {
  /** Resolves with the complete message once the stream ends; rejects if it fails. */
  finalMessage(): Promise<Message>;
  /** Stops the stream (a reader that leaves early must not leave the HTTP stream running). */
  abort(): void;
}

/**
 * The one thing the building blocks (agent loop, structured output, thinking helpers) need from a
 * Claude client. The official SDK fits through {@link sdkCaller}; Keel's own client (retries, cost,
 * ledger) provides an adapter of its own, so blocks never depend on a concrete client.
 */
export interface MessagesCaller {
  /** Sends a request and resolves with the complete message. */
  create(request: MessagesRequest, options?: MessagesCallOptions): Promise<Message>;
  /** Sends a request as a stream. */
  stream(request: MessagesRequest, options?: MessagesCallOptions): MessagesStream;
}

function requestOptions(options: MessagesCallOptions | undefined) {
  return {
    ...(options?.signal ? { signal: options.signal } : {}),
    ...(options?.headers ? { headers: options.headers } : {}),
  };
}

/** Adapts the official SDK client. Tags are dropped: the bare SDK keeps no ledger. */
export function sdkCaller(client: Anthropic): MessagesCaller {
  return {
    create: (request, options) =>
      client.messages.create({ ...request, stream: false }, requestOptions(options)),
    stream: (request, options) => client.messages.stream(request, requestOptions(options)),
  };
}

import type {
  Message,
  MessageCreateParamsBase,
  MessageStreamEvent,
} from '@anthropic-ai/sdk/resources/messages';
import type { CallTags } from './call-tags.ts';
import type { SamplingParameters } from './sampling-parameters.ts';

/**
 * A Messages request without the `stream` flag: the caller decides how it is sent. The sampling
 * fields are Keel's (the SDK's types dropped them with API version 2026-10-21): callers send them
 * only where the version and model accept them.
 */
export type MessagesRequest = Omit<MessageCreateParamsBase, 'stream'> & SamplingParameters;

/** Per-call options every caller understands. */
export interface MessagesCallOptions {
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Extra HTTP headers (for example `x-keel-scenario` against the emulator). */
  headers?: Record<string, string>;
  /** What the call is for; recorded by callers that keep a ledger. */
  tags?: CallTags;
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
 * Claude client. The official SDK fits through `sdkCaller`; Keel's own client (retries, cost,
 * ledger) provides an adapter of its own, so blocks never depend on a concrete client.
 */
export interface MessagesCaller {
  /**
   * The `anthropic-version` this caller sends unless a call's headers name another; the blocks
   * use it to know which settings reach the model (sampling parameters do not under 2026-10-21).
   * Unknown for callers that do not say.
   */
  readonly apiVersion?: string;
  /**
   * The model this caller's routing table picks for a task (the table's default for an unknown or
   * missing task). Blocks given a `task` ask it; without it they use the shipped table for
   * `KEEL_ENV`.
   */
  route?(task: string | undefined): string;
  /** Sends a request and resolves with the complete message. */
  create(request: MessagesRequest, options?: MessagesCallOptions): Promise<Message>;
  /** Sends a request as a stream. */
  stream(request: MessagesRequest, options?: MessagesCallOptions): MessagesStream;
}

import type Anthropic from '@anthropic-ai/sdk';
import type {
  Message,
  MessageCreateParamsBase,
  MessageStreamEvent,
} from '@anthropic-ai/sdk/resources/messages';
import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import { apiVersionOf, headerApiVersion } from '../client/api-version.ts';
import { hasSamplingParameters, type SamplingParameters } from '../client/sampling-parameters.ts';
import { withSendableSamplingParameters } from '../client/sendable-sampling-parameters.ts';
import { warnAboutModelLifecycle } from '../client/model-lifecycle-warning.ts';
import { WarnOnce, type WarningListener } from '../warnings/keel-warning.ts';

/**
 * A Messages request without the `stream` flag: the caller decides how it is sent. The sampling
 * fields are Keel's (the SDK's types dropped them with API version 2026-10-21): callers send them
 * only where the version and model accept them.
 */
export type MessagesRequest = Omit<MessageCreateParamsBase, 'stream'> & SamplingParameters;

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
  /**
   * The `anthropic-version` this caller sends unless a call's headers name another; the blocks
   * use it to know which settings reach the model (sampling parameters do not under 2026-10-21).
   * Unknown for callers that do not say.
   */
  readonly apiVersion?: string;
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

/** Options of {@link sdkCaller}. */
export interface SdkCallerOptions {
  /** Catalog that says which models accept sampling parameters; default the shipped one. */
  catalog?: ModelCatalog;
  /** Told once about each setting left out (a rejected `temperature`). Default: `process.emitWarning`. */
  onWarning?: WarningListener;
}

/**
 * Adapts the official SDK client. Tags are dropped: the bare SDK keeps no ledger. Sampling
 * fields go out only where the client's API version and the model accept them (see
 * `sampling-parameters.ts`); a non-default value left out is warned about once.
 */
export function sdkCaller(client: Anthropic, options: SdkCallerOptions = {}): MessagesCaller {
  const apiVersion = apiVersionOf(client);
  const catalog = options.catalog ?? defaultModelCatalog();
  const warnings = new WarnOnce(options.onWarning);
  const body = (request: MessagesRequest, callOptions: MessagesCallOptions | undefined) => {
    warnAboutModelLifecycle({ model: request.model, catalog, warnings, now: Date.now() });
    if (!hasSamplingParameters(request)) return request;
    return withSendableSamplingParameters(request, {
      apiVersion: headerApiVersion(callOptions?.headers) ?? apiVersion,
      catalog,
      warnings,
    });
  };
  return {
    apiVersion,
    create: (request, callOptions) =>
      client.messages.create(
        { ...body(request, callOptions), stream: false },
        requestOptions(callOptions),
      ),
    stream: (request, callOptions) =>
      client.messages.stream(body(request, callOptions), requestOptions(callOptions)),
  };
}

import { KeelError } from '@keel/errors';
import type { ContentBlock } from '@anthropic-ai/sdk/resources/messages/messages';
import type { CostResult } from '../cost/cost-result.ts';
import type { FailureKind } from '../resilience/classify-failure.ts';
import type { KeelRequest } from './keel-request.ts';
import type { TokenUsage } from '../call/token-usage.ts';
import { continuationRequest } from './continuation-request.ts';

/** Facts about a stream that broke after output had reached the caller. */
export interface StreamInterruptedErrorDetails {
  /** What broke it: `overloaded`, `server_error`, `connection`, ... */
  kind: FailureKind;
  /** The model that was streaming. */
  model: string;
  /** The server's request id. */
  requestId: string | undefined;
  /** The text delivered before the break. */
  partialText: string;
  /** Tokens spent (input side reported by the API; output so far, marked partial). */
  usage: TokenUsage;
  /** Whether the model accepts an assistant prefill (the catalog's `capabilities.prefill`). */
  prefill?: boolean;
}

/**
 * An overload or a dropped connection inside an HTTP 200 stream, after part of the answer had
 * reached the caller (so it could not be retried invisibly). Carries the partial output, its
 * usage and cost, and `continuation()`, a request that asks the model to carry on from there.
 */
export class StreamInterruptedError extends KeelError<
  StreamInterruptedErrorDetails,
  'stream_interrupted'
> {
  /** The content blocks received before the break (the last one may be incomplete). */
  readonly partialContent: ContentBlock[];
  /** The cost of what was spent, marked partial. */
  readonly cost: CostResult;
  readonly #request: KeelRequest;

  constructor(
    details: StreamInterruptedErrorDetails,
    partialContent: ContentBlock[],
    cost: CostResult,
    request: KeelRequest,
    cause: unknown,
  ) {
    super(
      'stream_interrupted',
      `The stream from ${details.model} broke (${details.kind}) after ${details.usage.output} output tokens`,
      details,
      { cause },
    );
    this.partialContent = partialContent;
    this.cost = cost;
    this.#request = request;
  }

  /**
   * A request that continues the answer, on the model that was streaming, with `max_tokens`
   * reduced by what was already produced: the partial text as an assistant prefill, or, on a
   * model that refuses prefills, as an assistant turn followed by a user turn asking it to carry
   * on. Thinking is turned off (the API does not accept a prefill with thinking).
   */
  continuation(): KeelRequest {
    const prefill = this.details.prefill;
    return continuationRequest(
      this.#request,
      this.details,
      prefill === undefined ? {} : { prefill },
    );
  }
}

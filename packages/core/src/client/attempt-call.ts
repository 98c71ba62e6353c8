import type Anthropic from '@anthropic-ai/sdk';
import type {
  Message,
  MessageCreateParamsNonStreaming,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { RateLimiter, RateLimitSnapshot } from '../resilience/rate-limiter.ts';
import type { RunWithResilienceOptions } from '../resilience/run-with-resilience.ts';
import type { PreparedCall } from './prepare-call.ts';
import type { RetryNotice } from './retry-notice.ts';

/** What one successful non-streaming attempt returns. */
export interface CreatedMessage {
  message: Message;
  requestId: string | undefined;
  rateLimit: RateLimitSnapshot | undefined;
}

/** One non-streaming attempt: sends the body and reads the rate-limit headers of the response. */
export async function createMessage(options: {
  anthropic: Anthropic;
  limiter: RateLimiter;
  prepared: PreparedCall;
  model: string;
  body: Record<string, unknown>;
}): Promise<CreatedMessage> {
  // Not withResponse(): it reads two more headers, and the SDK already put the request id on
  // the message.
  const pending = options.anthropic.messages.create(
    options.body as unknown as MessageCreateParamsNonStreaming,
    options.prepared.requestOptions,
  );
  const message = await pending;
  const response = await pending.asResponse();
  return {
    message,
    requestId: (message as { _request_id?: string | null })._request_id ?? undefined,
    rateLimit: options.limiter.observe(options.model, response.headers),
  };
}

/**
 * Stage "attempt": the options of `runWithResilience` for a call: its model chain and signal,
 * the client's policy, and the caller's `onRetry` told of each failure followed by another
 * attempt (a throwing `onRetry` is reported, never fails the call).
 */
export function attemptOptions<T>(
  prepared: PreparedCall,
  shared: Omit<RunWithResilienceOptions<T>, 'models' | 'attempt' | 'signal' | 'onFailure'>,
  attempt: (model: string) => Promise<T>,
  onProblem: (status: string, error: unknown) => void,
): RunWithResilienceOptions<T> {
  const options: RunWithResilienceOptions<T> = { ...shared, models: prepared.chain, attempt };
  if (prepared.signal) options.signal = prepared.signal;
  const onRetry = prepared.onRetry;
  if (!onRetry) return options;
  let retries = 0;
  options.onFailure = (failure, record) => {
    // Failures that end the call have no delay; those followed by another attempt do.
    if (record.delayMs === undefined) return;
    retries++;
    const notice: RetryNotice = {
      attempt: retries,
      model: record.model,
      reason: failure.kind,
      delayMs: record.delayMs,
    };
    if (record.status !== undefined) notice.status = record.status;
    if (record.requestId !== undefined) notice.requestId = record.requestId;
    try {
      onRetry(notice);
    } catch (error) {
      onProblem('on_retry_failed', error);
    }
  };
  return options;
}

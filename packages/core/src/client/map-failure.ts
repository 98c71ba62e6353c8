import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ModelCatalog } from '@keel/models';
import type { TokenUsage } from '../call/token-usage.ts';
import { tokenUsage } from '../call/token-usage.ts';
import { messageText } from '../call/call-result.ts';
import { computeCost } from '../cost/compute-cost.ts';
import type { CostResult } from '../cost/cost-result.ts';
import { CallTimeoutError } from '../resilience/call-timeout-error.ts';
import { classifyFailure } from '../resilience/classify-failure.ts';
import { CallAbortedError } from './call-aborted-error.ts';
import { partialOutputTokens } from './partial-output.ts';
import type { PreparedCall } from './prepare-call.ts';
import { StreamInterruptedError } from './stream-interrupted-error.ts';

/** What a stream that had started left behind when it failed. */
export interface StreamProgress {
  /** The model serving the stream. */
  model: string;
  /** The message so far (the SDK's snapshot). */
  snapshot: Message | undefined;
  requestId: string | undefined;
  /** Attempts made before and including the one that streamed. */
  attempts: number;
}

/** The usage and cost of a stream that broke or was stopped. */
interface PartialCall {
  model: string;
  /** Tokens so far (output estimated on the high side). */
  usage: TokenUsage;
  cost: CostResult;
  /** The text that reached the caller. */
  text: string;
  /** The API's usage with the estimated output, as the ledger keeps it. */
  raw: Message['usage'];
}

/** How a call failed, as the caller and the report see it. */
export interface MappedFailure {
  /** The error the caller gets. */
  error: Error;
  /** What a started stream spent. */
  partial: PartialCall | undefined;
  /** The model whose circuit breaker counts this failure (a stream broken by the server). */
  breakerFailure: string | undefined;
}

/**
 * What a started stream spent: its usage with output tokens so far, an upper bound of what the
 * broken stream was billed (see partial-output.ts).
 */
function partialCall(
  prepared: PreparedCall,
  progress: StreamProgress,
  catalog: ModelCatalog,
): PartialCall | undefined {
  const snapshot = progress.snapshot;
  const raw = snapshot?.usage;
  if (!snapshot || !raw) return undefined;
  const output = partialOutputTokens(snapshot, {
    tokenizer: catalog.find(progress.model)?.tokenizer,
    maxTokens: prepared.request.max_tokens,
  });
  const merged = { ...raw, output_tokens: output };
  return {
    model: progress.model,
    usage: tokenUsage(merged, true),
    cost: computeCost({
      model: snapshot.model || progress.model,
      usage: merged,
      catalog,
      partial: true,
    }),
    text: messageText(snapshot),
    raw: merged,
  };
}

/**
 * Stage "map failure": the typed error a failed call ends with. The caller's abort wins
 * (`CallAbortedError`, with what a stream had spent), then the total timeout
 * (`CallTimeoutError`), then a stream that broke after content reached the caller
 * (`StreamInterruptedError`, resumable); anything else is passed on as it is.
 */
export function mapFailure(options: {
  prepared: PreparedCall;
  error: unknown;
  progress: StreamProgress | undefined;
  catalog: ModelCatalog;
  now: number;
}): MappedFailure {
  const { prepared, error, progress, catalog } = options;
  const partial = progress ? partialCall(prepared, progress, catalog) : undefined;
  const aborted = prepared.userSignals.some((signal) => signal.aborted);
  const timedOut = prepared.timeoutSignal?.aborted === true && !aborted;
  const failed = (mapped: Error, breakerFailure?: string): MappedFailure => ({
    error: mapped,
    partial,
    breakerFailure,
  });
  if (error instanceof CallAbortedError && !partial) return failed(error);
  if (aborted || error instanceof CallAbortedError) {
    const details = {
      model: partial?.model ?? prepared.modelRequested,
      partialText: partial?.text ?? '',
      usage: partial?.usage,
    };
    return failed(new CallAbortedError(details, partial?.cost, error));
  }
  if (timedOut) {
    const details = { timeoutMs: prepared.totalTimeoutMs ?? 0, attempts: progress?.attempts ?? 0 };
    return failed(new CallTimeoutError(details, error));
  }
  if (progress && partial) {
    // The stream broke after content had reached the caller.
    const failure = classifyFailure(error, options.now);
    const interrupted = new StreamInterruptedError(
      {
        kind: failure.kind,
        model: progress.model,
        requestId: progress.requestId ?? failure.requestId,
        partialText: partial.text,
        usage: partial.usage,
        // How continuation() may resume: a prefill, or a turn asking to carry on.
        prefill: catalog.find(progress.model)?.capabilities.prefill ?? true,
      },
      progress.snapshot?.content ?? [],
      partial.cost,
      { ...prepared.request, model: progress.model },
      error,
    );
    return failed(interrupted, failure.breakerFailure ? progress.model : undefined);
  }
  return failed(error instanceof Error ? error : new Error(String(error)));
}

import type Anthropic from '@anthropic-ai/sdk';
import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import type { BudgetManager } from '../budget/budget-manager.ts';
import type { BudgetReservation } from '../budget/budget-reservation.ts';
import { messageText, outcomeFromStopReason, type CallResult } from '../call/call-result.ts';
import { tokenUsage } from '../call/token-usage.ts';
import { computeCost } from '../cost/compute-cost.ts';
import type { CircuitBreakerRegistry } from '../resilience/circuit-breaker.ts';
import type { Clock } from '../resilience/clock.ts';
import type { RateLimiter, RateLimitSnapshot } from '../resilience/rate-limiter.ts';
import type {
  ResilientOutcome,
  RunWithResilienceOptions,
} from '../resilience/run-with-resilience.ts';
import { disabledSpan, type CallSpan, type CallTelemetry } from '../telemetry/call-telemetry.ts';
import type { WarnOnce } from '../warnings/keel-warning.ts';
import { attemptBody, estimatedInputTokens } from './attempt-body.ts';
import { attemptOptions } from './attempt-call.ts';
import type { CallOptions } from './call-options.ts';
import { callLogLine, failureRecord, successRecord } from './call-report.ts';
import type { CallReporter } from './call-reporter.ts';
import type { KeelRequest } from './keel-request.ts';
import { mapFailure, type StreamProgress } from './map-failure.ts';
import { warnAboutModelLifecycle } from './model-lifecycle-warning.ts';
import { prepareCall, type CallDefaults, type PreparedCall } from './prepare-call.ts';
import { closeReservation, reserveCall } from './reserve-call.ts';
import { decideSamplingParameters } from './sampling-parameters.ts';
import { sendableSamplingParameters } from './sendable-sampling-parameters.ts';
import { isTruncationStop } from './truncation-stop.ts';

/** One call in flight: what was decided, its span and its budget hold. */
export interface CallInFlight {
  prepared: PreparedCall;
  span: CallSpan;
  reservation?: BudgetReservation;
}

/** What a call's attempts produced, for the result. */
export interface CallAnswer {
  message: Message;
  requestId: string | undefined;
  rateLimit: RateLimitSnapshot | undefined;
  /** For streams: when the first content reached the caller, `performance.now()`. */
  firstContentAt?: number;
}

/** What the stages share: the client's parts, built once by `KeelClient`. */
export interface CallPipelineParts {
  anthropic: Anthropic;
  defaults: CallDefaults;
  budgets: BudgetManager | undefined;
  breakers: CircuitBreakerRegistry;
  limiter: RateLimiter;
  clock: Clock;
  telemetry: CallTelemetry;
  reporter: CallReporter;
  warnings: WarnOnce;
  /** The client's resilience parts (policy, breakers, limiter, clock, sleep, random). */
  resilience: Omit<
    RunWithResilienceOptions<unknown>,
    'models' | 'attempt' | 'signal' | 'onFailure' | 'estimateInputTokens'
  >;
}

/**
 * The stages of a call, in order: prepare, reserve (and the `started` row), attempt (with
 * retries and fallback), then report a success or map and report a failure. `KeelClient.call`
 * and `streamCall` drive them; each stage is a function of its own file.
 */
export class CallPipeline {
  readonly parts: CallPipelineParts;
  readonly #onProblem: (status: string, error: unknown) => void;

  constructor(parts: CallPipelineParts) {
    this.parts = parts;
    this.#onProblem = (status, error) => parts.reporter.problem(status, error);
  }

  /** Prepares the call and opens its span; nothing is sent or reserved yet. */
  prepare(
    request: KeelRequest,
    options: CallOptions,
    ownSignal: AbortSignal | undefined,
    stream: boolean,
  ): CallInFlight {
    const prepared = prepareCall(request, options, ownSignal, stream, this.parts.defaults);
    return { prepared, span: this.#startSpan(prepared) };
  }

  /** Reserves the budget and, for recorders that want it, writes the `started` row. */
  async admit(call: CallInFlight): Promise<void> {
    const { prepared } = call;
    const { budgets, defaults, reporter } = this.parts;
    if (!budgets && !prepared.onReserved && !reporter.recordsStarts) return;
    call.reservation = await reserveCall({
      prepared,
      budgets,
      catalog: defaults.catalog,
      onProblem: this.#onProblem,
    });
    if (!reporter.recordsStarts) return;
    await reporter.started(prepared, {
      startedAt: prepared.startedAt,
      modelRequested: prepared.modelRequested,
      models: prepared.chain,
      stream: prepared.stream,
      tags: prepared.tags,
      estimatedInputTokens: estimatedInputTokens(prepared, defaults.catalog),
      maxOutputTokens: prepared.request.max_tokens,
      inferenceGeo: prepared.request.inference_geo ?? null,
      ...(prepared.task === undefined ? {} : { task: prepared.task }),
      ...(call.reservation ? { reservationId: call.reservation.id } : {}),
      ...(prepared.totalTimeoutMs === undefined
        ? {}
        : { deadlineAt: prepared.startedAt + prepared.totalTimeoutMs }),
    });
  }

  /** The options of `runWithResilience` for this call's attempts. */
  attempts<T>(
    call: CallInFlight,
    attempt: (model: string) => Promise<T>,
  ): RunWithResilienceOptions<T> {
    const { prepared } = call;
    const shared = {
      ...this.parts.resilience,
      estimateInputTokens: () => estimatedInputTokens(prepared, this.parts.defaults.catalog),
    };
    return attemptOptions<T>(prepared, shared, attempt, this.#onProblem);
  }

  /** The body of one attempt at `model`, warning once about a retired or deprecated model. */
  body(call: CallInFlight, model: string, stream: boolean | undefined): Record<string, unknown> {
    const { prepared } = call;
    const { catalog } = this.parts.defaults;
    warnAboutModelLifecycle({
      model,
      catalog,
      warnings: this.parts.warnings,
      now: this.parts.clock.now(),
    });
    return attemptBody(prepared, model, stream, (attemptModel) =>
      sendableSamplingParameters({
        parameters: prepared.sampling ?? {},
        model: attemptModel,
        apiVersion: prepared.apiVersion,
        catalog,
        warnings: this.parts.warnings,
      }),
    );
  }

  /** Builds the result, settles the budget and reports the success (a cut-off answer included). */
  async succeed(
    call: CallInFlight,
    outcome: ResilientOutcome<unknown>,
    answer: CallAnswer,
  ): Promise<CallResult> {
    const { prepared, span } = call;
    const result = this.#result(prepared, outcome, answer);
    if (call.reservation) await closeReservation(call.reservation, result, this.#onProblem);
    this.parts.reporter.finished(successRecord(prepared, result), (record) =>
      callLogLine(record, { prepared, responseText: result.text }),
    );
    span.end(result);
    return result;
  }

  /**
   * Maps a failure to the error the caller gets, reports it (recorders, log, span) with what a
   * started stream spent, and settles the budget to that spend.
   */
  async fail(
    call: CallInFlight,
    error: unknown,
    stream?: { progress: StreamProgress; retries: number; firstContentAt: number | undefined },
  ): Promise<Error> {
    const { prepared, span } = call;
    const { defaults, breakers, clock, reporter } = this.parts;
    const failure = mapFailure({
      prepared,
      error,
      progress: stream?.progress,
      catalog: defaults.catalog,
      now: clock.now(),
    });
    if (failure.breakerFailure) breakers.get(failure.breakerFailure).recordFailure();
    const record = failureRecord(prepared, failure, {
      retries: stream ? stream.retries : retriesOf(failure.error),
      requestId: stream?.progress.requestId,
      firstContentAt: stream?.firstContentAt,
    });
    reporter.finished(record, (finished) =>
      callLogLine(finished, {
        prepared,
        error: failure.error,
        responseText: failure.partial?.text ?? '',
      }),
    );
    span.fail(failure.error, failure.partial);
    await closeReservation(call.reservation, failure.error, this.#onProblem);
    return failure.error;
  }

  #result(
    prepared: PreparedCall,
    outcome: ResilientOutcome<unknown>,
    answer: CallAnswer,
  ): CallResult {
    const { message } = answer;
    const stopReason = message.stop_reason;
    const served = outcome.model;
    const catalog = this.parts.defaults.catalog;
    const result: CallResult = {
      message,
      text: messageText(message),
      outcome: outcomeFromStopReason(stopReason),
      truncated: isTruncationStop(stopReason),
      stopReason,
      usage: tokenUsage(message.usage),
      cost: computeCost({
        model: message.model || served,
        usage: message.usage,
        catalog,
        partial: false,
      }),
      modelRequested: prepared.modelRequested,
      modelServed: served,
      fallbackUsed: served !== prepared.modelRequested,
      requestId:
        answer.requestId ?? (message as { _request_id?: string | null })._request_id ?? undefined,
      retries: outcome.retries,
      attempts: outcome.attempts,
      durationMs: performance.now() - prepared.started,
      tags: prepared.tags,
    };
    if (answer.firstContentAt !== undefined) {
      result.timeToFirstTokenMs = answer.firstContentAt - prepared.started;
    }
    if (answer.rateLimit) result.rateLimit = answer.rateLimit;
    return result;
  }

  #startSpan(prepared: PreparedCall): CallSpan {
    const telemetry = this.parts.telemetry;
    if (!telemetry.enabled) return disabledSpan;
    return telemetry.start({
      model: prepared.modelRequested,
      maxTokens: prepared.request.max_tokens,
      // What the first attempt sends, not what was asked: under 2026-10-21 that is nothing.
      ...(prepared.sampling ? this.#sentSampling(prepared) : {}),
      stream: prepared.stream,
      tags: prepared.tags,
      task: prepared.task,
    });
  }

  #sentSampling(prepared: PreparedCall): { temperature?: number; topP?: number; topK?: number } {
    const sent = decideSamplingParameters({
      apiVersion: prepared.apiVersion,
      model: this.parts.defaults.catalog.find(prepared.modelRequested),
      parameters: prepared.sampling ?? {},
    }).send;
    const fields: { temperature?: number; topP?: number; topK?: number } = {};
    if (sent.temperature !== undefined) fields.temperature = sent.temperature;
    if (sent.top_p !== undefined) fields.topP = sent.top_p;
    if (sent.top_k !== undefined) fields.topK = sent.top_k;
    return fields;
  }
}

/** Retries a failed call made, from the attempts its error carries (circuit skips not counted). */
function retriesOf(error: Error): number {
  const attempts = (error as { details?: { attempts?: unknown } }).details?.attempts;
  if (!Array.isArray(attempts)) return 0;
  const made = attempts.filter(
    (attempt: { outcome?: string }) => attempt.outcome !== 'circuit_open',
  );
  return Math.max(0, made.length - 1);
}

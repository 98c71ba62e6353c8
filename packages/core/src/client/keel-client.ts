import Anthropic from '@anthropic-ai/sdk';
import type {
  Message,
  MessageCountTokensParams,
  MessageCreateParamsNonStreaming,
  MessageStreamEvent,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import type { BudgetManager } from '../budget/budget-manager.ts';
import type { BudgetReservation } from '../budget/budget-reservation.ts';
import { worstCaseReservation } from '../budget/worst-case-reservation.ts';
import { loadEnvironment } from '../config/load-environment.ts';
import { computeCost } from '../cost/compute-cost.ts';
import { createLedgerRecorder } from '../ledger/ledger-call-recorder.ts';
import type { CostResult } from '../cost/cost-result.ts';
import { CallLogger } from '../logging/call-logger.ts';
import { addLogFields, type CallLogRecord } from '../logging/call-log-record.ts';
import { CircuitBreakerRegistry, type CircuitState } from '../resilience/circuit-breaker.ts';
import { classifyFailure } from '../resilience/classify-failure.ts';
import { systemClock, timerSleep, type Clock, type Sleep } from '../resilience/clock.ts';
import { CallTimeoutError } from '../resilience/call-timeout-error.ts';
import { RateLimiter, type RateLimitSnapshot } from '../resilience/rate-limiter.ts';
import type { ResilienceOptions } from '../resilience/resilience-options.ts';
import {
  runWithResilience,
  type ResilientOutcome,
  type RunWithResilienceOptions,
} from '../resilience/run-with-resilience.ts';
import { StreamEndedEarlyError } from '../resilience/stream-ended-early-error.ts';
import { StreamIdleTimer } from '../resilience/stream-idle-timer.ts';
import { attemptTimeoutMs, defaultIdleTimeoutMs } from '../resilience/attempt-timeouts.ts';
import { loadRoutingTable, type RoutingTable } from '../routing/routing-table.ts';
import { CallTelemetry, disabledSpan, type CallSpan } from '../telemetry/call-telemetry.ts';
import { countTokens, type TokenCount, type TokenCountMode } from '../tokens/count-tokens.ts';
import { estimateInputTokens } from '../tokens/estimate-tokens.ts';
import { CallAbortedError } from './call-aborted-error.ts';
import type { CallHold, CallOptions, TruncationPolicy } from './call-options.ts';
import type { CallRecord } from '../call/call-record.ts';
import type { CallRecorder } from '../call/call-recorder.ts';
import type { CallStart } from '../call/call-start.ts';
import { timeOrderedId } from '../storage/time-ordered-id.ts';
import { messageText, outcomeFromStopReason, type CallResult } from '../call/call-result.ts';
import { partialOutputTokens } from './partial-output.ts';
import type { CallTags } from '../call/call-tags.ts';
import type { RetryNotice } from './retry-notice.ts';
import type { KeelClientOptions } from './keel-client-options.ts';
import type { KeelRequest } from './keel-request.ts';
import { DeferredWork } from './deferred-work.ts';
import { KeelStream } from './keel-stream.ts';
import { StreamInterruptedError } from './stream-interrupted-error.ts';
import type { KeelStreamEvent } from './stream-events.ts';
import { tokenUsage, type TokenUsage } from '../call/token-usage.ts';
import { TruncatedOutputError } from './truncated-output-error.ts';
import { isTruncationStop } from './truncation-stop.ts';
import { apiVersionOf, headerApiVersion } from './api-version.ts';
import { decideSamplingParameters, hasSamplingParameters } from './sampling-parameters.ts';
import type { SamplingParameters } from '../call/sampling-parameters.ts';
import { sendableSamplingParameters } from './sendable-sampling-parameters.ts';
import { warnAboutModelLifecycle } from './model-lifecycle-warning.ts';
import { WarnOnce } from '../warnings/keel-warning.ts';

/** Everything decided about a call before the first attempt. */
interface PreparedCall {
  /** The caller's request (`model` and `task` are not sent as they are; see requestBody). */
  request: KeelRequest;
  modelRequested: string;
  task: string | undefined;
  chain: string[];
  tags: CallTags;
  signal: AbortSignal | undefined;
  userSignals: AbortSignal[];
  timeoutSignal: AbortSignal | undefined;
  totalTimeoutMs: number | undefined;
  onRetry: CallOptions['onRetry'];
  onReserved: CallOptions['onReserved'];
  /** The SDK request options of every attempt. */
  requestOptions: {
    maxRetries: 0;
    signal?: AbortSignal;
    timeout?: number;
    headers?: Record<string, string>;
  };
  onTruncation: TruncationPolicy;
  /** The `anthropic-version` this call goes out with (a per-call header wins over the client's). */
  apiVersion: string;
  /** The caller's sampling fields, when it set any; each attempt decides what of them to send. */
  sampling: SamplingParameters | undefined;
  logContent: boolean;
  startedAt: number;
  started: number;
  stream: boolean;
  /** Filled on first use by #estimateInput. */
  estimatedInputTokens?: number;
  /** The call's id, given when a recorder is told of its start (#recordStart). */
  id?: string;
}

/** What a committed stream attempt hands over: the SDK stream and the events read so far. */
interface OpenedStream {
  messageStream: MessageStream<unknown>;
  iterator: AsyncIterator<MessageStreamEvent>;
  buffered: MessageStreamEvent[];
  sawStop: boolean;
  /** The SDK's accumulating message (mutated in place; kept because the SDK drops it at the end). */
  snapshot: Message | undefined;
  /** Aborts the stream when it goes silent; running until the stream ends. */
  idle: StreamIdleTimer;
  requestId: string | undefined;
  rateLimit: RateLimitSnapshot | undefined;
}

interface CallAttemptValue {
  message: Message;
  requestId: string | undefined;
  rateLimit: RateLimitSnapshot | undefined;
}

const noop = () => {};

/** The request fields `count_tokens` accepts besides `model` (the SDK's MessageCountTokensParams). */
const countTokensFields = [
  'messages',
  'system',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'cache_control',
  'speed',
  'user_profile_id',
  'workspace_id',
] as const satisfies ReadonlyArray<keyof MessageCountTokensParams>;

/**
 * The way to call Claude: the official SDK underneath (its client, types, MessageStream and
 * errors), with routing, retries, circuit breakers, fallback, client-side rate limiting, exact
 * cost, one log line, a span and metrics per call, and recorders (the ledger) on every outcome.
 */
export class KeelClient {
  /** The underlying SDK client (built with `maxRetries: 0`: Keel does the retrying). */
  readonly anthropic: Anthropic;
  /** The routing table in use. */
  readonly routing: RoutingTable;
  readonly #catalog: ModelCatalog;
  readonly #resilience: ResilienceOptions;
  readonly #breakers: CircuitBreakerRegistry;
  readonly #limiter: RateLimiter;
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #logger: CallLogger;
  readonly #telemetry: CallTelemetry;
  readonly #recorders: CallRecorder[];
  /** The recorders told before each call is sent (only those that implement `started`). */
  readonly #startRecorders: CallRecorder[];
  readonly #budgets: BudgetManager | undefined;
  readonly #defaultTags: CallTags;
  readonly #onTruncation: TruncationPolicy;
  readonly #logContent: boolean;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #deferred: DeferredWork;
  readonly #apiVersion: string;
  readonly #warnings: WarnOnce;
  readonly #idleTimeoutMs: number;
  /** False when the caller's own Anthropic client has a timeout of its own, which is kept. */
  readonly #defaultAttemptTimeouts: boolean;

  constructor(options: KeelClientOptions = {}) {
    let apiKey = options.apiKey;
    let baseURL = options.baseURL;
    if (!options.anthropic && (apiKey === undefined || baseURL === undefined)) {
      const connection = loadEnvironment();
      apiKey ??= connection.apiKey;
      baseURL ??= connection.baseURL;
    }
    this.anthropic =
      options.anthropic ??
      new Anthropic({
        ...(apiKey !== undefined ? { apiKey } : {}),
        ...(baseURL !== undefined ? { baseURL } : {}),
        maxRetries: 0,
        timeout: options.resilience?.timeoutMs ?? 600_000,
      });
    this.#catalog = options.catalog ?? defaultModelCatalog();
    this.routing =
      options.routing ??
      loadRoutingTable({
        environment: options.environment ?? 'development',
        catalog: this.#catalog,
      });
    this.#resilience = options.resilience ?? {};
    this.#idleTimeoutMs = this.#resilience.idleTimeoutMs ?? defaultIdleTimeoutMs;
    this.#defaultAttemptTimeouts =
      !options.anthropic || options.anthropic.timeout === Anthropic.DEFAULT_TIMEOUT;
    this.#clock = options._internal?.clock ?? systemClock;
    this.#sleep = options._internal?.sleep ?? timerSleep;
    this.#random = options._internal?.random ?? Math.random;
    this.#breakers = new CircuitBreakerRegistry(
      this.#resilience.circuitBreaker ?? {},
      this.#clock,
      options.onCircuitChange,
    );
    this.#limiter = new RateLimiter(this.#resilience.rateLimit ?? {}, this.#clock, this.#sleep);
    const secrets = [options.apiKey, this.anthropic.apiKey, this.anthropic.authToken].filter(
      (secret): secret is string => typeof secret === 'string' && secret !== '',
    );
    this.#logger = new CallLogger({ logger: options.logger, secrets });
    this.#apiVersion = apiVersionOf(this.anthropic);
    // Warnings go to the caller's listener, else the log, else Node's warning channel: never nowhere.
    const logger = this.#logger;
    this.#warnings = new WarnOnce(
      options.onWarning ?? (logger.enabled ? (warning) => logger.warn(warning) : undefined),
    );
    this.#telemetry = new CallTelemetry(options.telemetry);
    this.#recorders = [...(options.recorders ?? [])];
    if (options.ledger) {
      this.#recorders.unshift(
        createLedgerRecorder({
          ledger: options.ledger,
          onError: (error) => this.#internalProblem('ledger_write_failed', error),
        }),
      );
    }
    this.#startRecorders = this.#recorders.filter((recorder) => recorder.started);
    this.#budgets = options.budgets;
    this.#defaultTags = options.defaultTags ?? {};
    this.#onTruncation = options.onTruncation ?? 'error';
    this.#logContent = options.logContent ?? false;
    this.#deferred = new DeferredWork(
      (error) => this.#internalProblem('deferred_task_failed', error),
      { windowMs: options.afterCallWindowMs ?? 20 },
    );
  }

  /**
   * The `anthropic-version` this client sends (its SDK client's default headers, else the SDK's
   * own, 2026-10-21); a call's `headers` may name another.
   */
  get apiVersion(): string {
    return this.#apiVersion;
  }

  /**
   * The sampling fields a request to `model` may carry under `apiVersion` (default the client's),
   * warning once about non-default values left out. Everything Keel sends goes through here.
   */
  supportedSamplingParameters(
    parameters: SamplingParameters,
    model: string,
    apiVersion: string = this.#apiVersion,
  ): SamplingParameters {
    return sendableSamplingParameters({
      parameters,
      model,
      apiVersion,
      catalog: this.#catalog,
      warnings: this.#warnings,
    });
  }

  /** Each model's circuit breaker state. */
  circuitStates(): Record<string, CircuitState> {
    return this.#breakers.states();
  }

  /** The model a request goes to first (after routing) and its fallback chain. */
  route(request: Pick<KeelRequest, 'model' | 'task'>): { model: string; fallbacks: string[] } {
    const model = request.model ?? this.routing.route(request.task).model;
    return { model, fallbacks: this.#fallbacksFor(model) };
  }

  /** Counts a request's input tokens: `local` (instant estimate), `api` (count_tokens) or `auto`. */
  countTokens(
    request: KeelRequest,
    options: { mode?: TokenCountMode; signal?: AbortSignal } = {},
  ): Promise<TokenCount> {
    // count_tokens takes fewer fields than messages.create: max_tokens, metadata, stop_sequences,
    // service_tier, inference_geo, container and the sampling fields are not among them (the
    // SDK's MessageCountTokensParams; under 2026-10-21 sampling fields are a 400 there too), and
    // none of them changes a count. Only its own fields go.
    const source = request as unknown as Record<string, unknown>;
    const params: Record<string, unknown> = {
      model: request.model ?? this.routing.route(request.task).model,
    };
    for (const field of countTokensFields) {
      if (source[field] !== undefined) params[field] = source[field];
    }
    const countOptions: Parameters<typeof countTokens>[1] = {
      mode: options.mode ?? 'auto',
      client: this.anthropic,
    };
    if (options.signal) countOptions.signal = options.signal;
    return countTokens(params as unknown as MessageCountTokensParams, countOptions);
  }

  /** A non-streaming call. Resolves with the result; throws a typed KeelError on failure. */
  async call(request: KeelRequest, options: CallOptions = {}): Promise<CallResult> {
    const prepared = this.#prepare(request, options, undefined, false);
    const span = this.#startSpan(prepared);
    let reservation: BudgetReservation | undefined;
    let outcome: ResilientOutcome<CallAttemptValue>;
    try {
      if (this.#budgets) reservation = await this.#reserve(prepared);
      else if (prepared.onReserved) this.#admitted(prepared, undefined);
      if (this.#startRecorders.length > 0) await this.#recordStart(prepared, reservation);
      outcome = await runWithResilience<CallAttemptValue>(
        this.#runOptions(prepared, async (model) => {
          // Not withResponse(): it reads two more headers, and the SDK already put the request
          // id on the message.
          const pending = this.anthropic.messages.create(
            this.#requestBody(prepared, model, false) as unknown as MessageCreateParamsNonStreaming,
            prepared.requestOptions,
          );
          const message = await pending;
          const response = await pending.asResponse();
          return {
            message,
            requestId: (message as { _request_id?: string | null })._request_id ?? undefined,
            rateLimit: this.#limiter.observe(model, response.headers),
          };
        }),
      );
    } catch (error) {
      const mapped = this.#fail(prepared, span, error, undefined);
      await this.#closeReservation(reservation, mapped);
      throw mapped;
    }
    outcome.permit.release();
    const { message, requestId, rateLimit } = outcome.value;
    const result = this.#result(prepared, outcome, message, requestId, rateLimit, undefined);
    if (reservation) await this.#closeReservation(reservation, undefined, result.cost);
    return this.#succeed(prepared, span, result);
  }

  /**
   * A streaming call: iterate the returned stream for typed events, or await `finalMessage()`.
   * An overload or dropped connection before any content reached the caller is retried (and may
   * fall back) invisibly; after that the iteration throws `StreamInterruptedError`.
   */
  stream(request: KeelRequest, options: CallOptions = {}): KeelStream {
    const controller = new AbortController();
    return new KeelStream((own) => this.#streamEvents(request, options, own), controller);
  }

  /**
   * Writes everything queued: log lines, recorder and ledger entries. Call it (or `close()`)
   * before reading the ledger in tests and before the process exits.
   */
  async flush(): Promise<void> {
    this.#deferred.drain();
    await Promise.allSettled([...this.#pending]);
    await Promise.allSettled(this.#recorders.map((recorder) => recorder.flush?.()));
    this.#logger.flush();
  }

  /** Flushes everything (see `flush()`); the client stays usable. */
  close(): Promise<void> {
    return this.flush();
  }

  async *#streamEvents(
    request: KeelRequest,
    options: CallOptions,
    controller: AbortController,
  ): AsyncGenerator<KeelStreamEvent, void, undefined> {
    const prepared = this.#prepare(request, options, controller.signal, true);
    const span = this.#startSpan(prepared);
    let outcome: ResilientOutcome<OpenedStream> | undefined;
    let reservation: BudgetReservation | undefined;
    let settled = false;
    let firstContentAt: number | undefined;
    try {
      if (this.#budgets) reservation = await this.#reserve(prepared);
      else if (prepared.onReserved) this.#admitted(prepared, undefined);
      if (this.#startRecorders.length > 0) await this.#recordStart(prepared, reservation);
      outcome = await runWithResilience<OpenedStream>(
        this.#runOptions(prepared, (model) => this.#openStream(prepared, model)),
      );
      const opened = outcome.value;
      const model = outcome.model;
      yield { type: 'message-start', model, requestId: opened.requestId };
      const pending = opened.buffered;
      for (;;) {
        let event: MessageStreamEvent;
        if (pending.length > 0) {
          event = pending.shift()!;
        } else {
          if (opened.sawStop) break;
          const next = await opened.iterator.next();
          opened.idle.touch();
          if (next.done) {
            // The SDK's iterator ends quietly on errors it could not hand to a waiting reader.
            await opened.messageStream.done();
            break;
          }
          event = next.value;
        }
        if (event.type === 'message_stop') {
          opened.sawStop = true;
          continue;
        }
        const converted = this.#convert(event, opened.messageStream);
        if (converted) {
          firstContentAt ??= performance.now();
          yield converted;
          // The wait for the caller is not the stream's silence.
          opened.idle.touch();
        }
      }
      opened.idle.stop();
      if (!opened.sawStop) throw new StreamEndedEarlyError(model);
      const message = await opened.messageStream.finalMessage();
      const result = this.#result(
        prepared,
        outcome,
        message,
        opened.requestId,
        opened.rateLimit,
        firstContentAt,
      );
      settled = true;
      outcome.permit.release();
      if (reservation) await this.#closeReservation(reservation, undefined, result.cost);
      yield { type: 'finish', result: this.#succeed(prepared, span, result) };
    } catch (caught) {
      if (settled) throw caught;
      settled = true;
      outcome?.value.idle.stop();
      // A stream stopped for silence failed by timeout, not by the caller's abort.
      const error = outcome ? outcome.value.idle.error(caught) : caught;
      outcome?.permit.release();
      const mapped = this.#fail(prepared, span, error, outcome, firstContentAt);
      await this.#closeReservation(reservation, mapped);
      throw mapped;
    } finally {
      if (!settled && outcome) {
        // The consumer left the loop early: stop the HTTP stream and record what was spent.
        settled = true;
        outcome.value.idle.stop();
        outcome.permit.release();
        outcome.value.messageStream.abort();
        const abandoned = new CallAbortedError(
          { model: outcome.model, partialText: '', usage: undefined },
          undefined,
          undefined,
        );
        const mapped = this.#fail(prepared, span, abandoned, outcome, firstContentAt);
        await this.#closeReservation(reservation, mapped);
      }
    }
  }

  /** Opens a stream and reads until the first content delta (the commit point), or the end. */
  async #openStream(prepared: PreparedCall, model: string): Promise<OpenedStream> {
    const messageStream: MessageStream<unknown> = this.anthropic.messages.stream(
      this.#requestBody(prepared, model, undefined) as never,
      prepared.requestOptions,
    );
    // Errors surface through the iterator; these listeners keep the SDK from reporting them
    // as unhandled rejections.
    messageStream.on('error', noop).on('abort', noop);
    const idle = new StreamIdleTimer(this.#idleTimeoutMs, () => messageStream.abort());
    const iterator = messageStream[Symbol.asyncIterator]();
    const buffered: MessageStreamEvent[] = [];
    let sawStop = false;
    try {
      for (;;) {
        const next = await iterator.next();
        idle.touch();
        if (next.done) {
          await messageStream.done();
          if (!sawStop) throw new StreamEndedEarlyError(model);
          break;
        }
        buffered.push(next.value);
        if (next.value.type === 'message_stop') {
          sawStop = true;
          break;
        }
        if (next.value.type === 'content_block_delta') break;
      }
    } catch (error) {
      idle.stop();
      messageStream.abort();
      throw idle.error(error);
    }
    const headers = messageStream.response?.headers;
    return {
      messageStream,
      iterator,
      buffered,
      sawStop,
      idle,
      snapshot: messageStream.currentMessage,
      requestId: messageStream.request_id ?? undefined,
      rateLimit: headers ? this.#limiter.observe(model, headers) : undefined,
    };
  }

  #convert(event: MessageStreamEvent, stream: MessageStream<unknown>): KeelStreamEvent | undefined {
    switch (event.type) {
      case 'content_block_start':
        return { type: 'content-block-start', index: event.index, block: event.content_block };
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta')
          return { type: 'text-delta', index: event.index, text: delta.text };
        if (delta.type === 'thinking_delta') {
          return { type: 'thinking-delta', index: event.index, thinking: delta.thinking };
        }
        if (delta.type === 'input_json_delta') {
          return { type: 'tool-input-delta', index: event.index, partialJson: delta.partial_json };
        }
        if (delta.type === 'citations_delta') {
          return { type: 'citation-delta', index: event.index, citation: delta.citation };
        }
        return undefined;
      }
      case 'content_block_stop': {
        const block = stream.currentMessage?.content[event.index];
        return block ? { type: 'content-block-stop', index: event.index, block } : undefined;
      }
      default:
        return undefined;
    }
  }

  #prepare(
    request: KeelRequest,
    options: CallOptions,
    ownSignal: AbortSignal | undefined,
    stream: boolean,
  ): PreparedCall {
    // Runs once per call: no object rest/spread or throwaway arrays, which Node 20 makes slow.
    const task = request.task;
    const modelRequested = request.model ?? this.routing.route(task).model;
    const fallbacks =
      options.fallbacks === false ? [] : (options.fallbacks ?? this.#fallbacksFor(modelRequested));
    let chain = [modelRequested];
    if (fallbacks.length > 0) chain = [...new Set(chain.concat(fallbacks))];
    const totalTimeoutMs = options.totalTimeoutMs ?? this.#resilience.totalTimeoutMs;
    const timeoutSignal =
      totalTimeoutMs !== undefined ? AbortSignal.timeout(totalTimeoutMs) : undefined;
    const userSignals: AbortSignal[] = [];
    if (options.signal) userSignals.push(options.signal);
    if (ownSignal) userSignals.push(ownSignal);
    let signal: AbortSignal | undefined;
    if (timeoutSignal) {
      signal =
        userSignals.length === 0 ? timeoutSignal : AbortSignal.any([...userSignals, timeoutSignal]);
    } else {
      signal = userSignals.length <= 1 ? userSignals[0] : AbortSignal.any(userSignals);
    }
    const timeoutMs =
      options.timeoutMs ??
      this.#resilience.timeoutMs ??
      (this.#defaultAttemptTimeouts
        ? attemptTimeoutMs({
            stream,
            maxTokens: request.max_tokens,
            idleTimeoutMs: this.#idleTimeoutMs,
          })
        : undefined);
    const requestOptions: PreparedCall['requestOptions'] = { maxRetries: 0 };
    if (signal) requestOptions.signal = signal;
    if (timeoutMs !== undefined) requestOptions.timeout = timeoutMs;
    if (options.headers) requestOptions.headers = options.headers;
    let tags = this.#defaultTags;
    if (options.tags) {
      // A copy: the record is written after the call returns, and callers reuse tag objects.
      tags = Object.assign({}, this.#defaultTags);
      const own = options.tags as Record<string, unknown>;
      for (const name in own) (tags as Record<string, unknown>)[name] = own[name];
    }
    const apiVersion = (options.headers && headerApiVersion(options.headers)) || this.#apiVersion;
    return {
      request,
      modelRequested,
      task,
      chain,
      tags,
      signal,
      userSignals,
      timeoutSignal,
      totalTimeoutMs,
      requestOptions,
      onRetry: options.onRetry,
      onReserved: options.onReserved,
      onTruncation: options.onTruncation ?? this.#onTruncation,
      apiVersion,
      sampling: hasSamplingParameters(request) ? request : undefined,
      logContent: options.logContent ?? this.#logContent,
      startedAt: Date.now(),
      started: performance.now(),
      stream,
    };
  }

  #fallbacksFor(model: string): string[] {
    // Chains given in the resilience options replace the routing table's chains entirely.
    const configured = this.#resilience.fallbacks;
    const canonical = this.#catalog.find(model)?.id ?? model;
    if (configured) return [...(configured[model] ?? configured[canonical] ?? [])];
    const chain = this.routing.fallbacksFor(model);
    return [...(chain.length > 0 ? chain : this.routing.fallbacksFor(canonical))];
  }

  #runOptions<T>(
    prepared: PreparedCall,
    attempt: (model: string) => Promise<T>,
  ): RunWithResilienceOptions<T> {
    const options: RunWithResilienceOptions<T> = {
      models: prepared.chain,
      policy: this.#resilience,
      breakers: this.#breakers,
      limiter: this.#limiter,
      clock: this.#clock,
      sleep: this.#sleep,
      random: this.#random,
      estimateInputTokens: () => this.#estimateInput(prepared),
      attempt,
    };
    if (prepared.signal) options.signal = prepared.signal;
    const onRetry = prepared.onRetry;
    if (onRetry) {
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
          this.#internalProblem('on_retry_failed', error);
        }
      };
    }
    return options;
  }

  /** The request's estimated input tokens, computed at most once per call (budgets, limiter). */
  #estimateInput(prepared: PreparedCall): number {
    return (prepared.estimatedInputTokens ??= estimateInputTokens(
      prepared.request as unknown as MessageCountTokensParams,
      { tokenizer: this.#catalog.find(prepared.modelRequested)?.tokenizer },
    ));
  }

  #startSpan(prepared: PreparedCall): CallSpan {
    if (!this.#telemetry.enabled) return disabledSpan;
    return this.#telemetry.start({
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
      model: this.#catalog.find(prepared.modelRequested),
      parameters: prepared.sampling ?? {},
    }).send;
    const fields: { temperature?: number; topP?: number; topK?: number } = {};
    if (sent.temperature !== undefined) fields.temperature = sent.temperature;
    if (sent.top_p !== undefined) fields.topP = sent.top_p;
    if (sent.top_k !== undefined) fields.topK = sent.top_k;
    return fields;
  }

  /**
   * The request body of one attempt: the caller's parameters without `task`, with the model of
   * this attempt, and only the sampling fields that model accepts under the call's API version
   * (a fallback model may accept fewer than the first).
   */
  #requestBody(
    prepared: PreparedCall,
    model: string,
    stream: boolean | undefined,
  ): Record<string, unknown> {
    const body = requestBody(prepared.request, model, stream, prepared.sampling !== undefined);
    warnAboutModelLifecycle({
      model,
      catalog: this.#catalog,
      warnings: this.#warnings,
      now: this.#clock.now(),
    });
    if (prepared.sampling) {
      const sent = this.supportedSamplingParameters(prepared.sampling, model, prepared.apiVersion);
      if (sent.temperature !== undefined) body.temperature = sent.temperature;
      if (sent.top_p !== undefined) body.top_p = sent.top_p;
      if (sent.top_k !== undefined) body.top_k = sent.top_k;
    }
    return body;
  }

  #cost(model: string, usage: Message['usage'], partial: boolean): CostResult {
    return computeCost({ model, usage, catalog: this.#catalog, partial });
  }

  #result(
    prepared: PreparedCall,
    outcome: ResilientOutcome<unknown>,
    message: Message,
    requestId: string | undefined,
    rateLimit: RateLimitSnapshot | undefined,
    firstContentAt: number | undefined,
  ): CallResult {
    const stopReason = message.stop_reason;
    const served = outcome.model;
    const result: CallResult = {
      message,
      text: messageText(message),
      outcome: outcomeFromStopReason(stopReason),
      truncated: isTruncationStop(stopReason),
      stopReason,
      usage: tokenUsage(message.usage),
      cost: this.#cost(message.model || served, message.usage, false),
      modelRequested: prepared.modelRequested,
      modelServed: served,
      fallbackUsed: served !== prepared.modelRequested,
      requestId: requestId ?? (message as { _request_id?: string | null })._request_id ?? undefined,
      retries: outcome.retries,
      attempts: outcome.attempts,
      durationMs: performance.now() - prepared.started,
      tags: prepared.tags,
    };
    if (firstContentAt !== undefined) result.timeToFirstTokenMs = firstContentAt - prepared.started;
    if (rateLimit) result.rateLimit = rateLimit;
    return result;
  }

  #succeed(prepared: PreparedCall, span: CallSpan, result: CallResult): CallResult {
    const record: CallRecord = {
      status: 'success',
      startedAt: prepared.startedAt,
      durationMs: result.durationMs,
      modelRequested: prepared.modelRequested,
      modelServed: result.modelServed,
      retries: result.retries,
      stream: prepared.stream,
      stopReason: result.stopReason,
      usage: result.usage,
      rawUsage: result.message.usage,
      cost: result.cost,
      tags: prepared.tags,
    };
    if (prepared.id !== undefined) record.id = prepared.id;
    if (result.timeToFirstTokenMs !== undefined)
      record.timeToFirstTokenMs = result.timeToFirstTokenMs;
    if (prepared.task !== undefined) record.task = prepared.task;
    if (result.requestId !== undefined) record.requestId = result.requestId;
    this.#record(record);
    if (this.#logger.enabled) this.#logSuccess(prepared, result);
    span.end(result);
    if (result.truncated && prepared.onTruncation === 'error') {
      throw new TruncatedOutputError(result, prepared.request.max_tokens);
    }
    return result;
  }

  #logSuccess(prepared: PreparedCall, result: CallResult): void {
    const log: CallLogRecord = {
      event: 'claude_call',
      status: 'success',
      outcome: result.outcome,
      durationMs: Math.round(result.durationMs * 1000) / 1000,
      modelRequested: prepared.modelRequested,
      modelServed: result.modelServed,
      retries: result.retries,
      stream: prepared.stream,
      stopReason: result.stopReason,
    };
    addLogFields(log, prepared.tags, result.usage, result.cost);
    if (result.timeToFirstTokenMs !== undefined) {
      log.timeToFirstTokenMs = Math.round(result.timeToFirstTokenMs * 1000) / 1000;
    }
    if (prepared.task !== undefined) log.task = prepared.task;
    if (result.requestId !== undefined) log.requestId = result.requestId;
    if (prepared.logContent) {
      log.content = { request: requestText(prepared.request), response: result.text };
    }
    this.#deferred.defer(() => this.#logger.write(log));
  }

  /**
   * Maps a failure to the error the caller gets, and records it (recorders, log, span) with the
   * partial usage of a stream that had started.
   */
  #fail(
    prepared: PreparedCall,
    span: CallSpan,
    error: unknown,
    outcome: ResilientOutcome<OpenedStream> | undefined,
    firstContentAt?: number,
  ): Error {
    let mapped: Error;
    let partial:
      | { model: string; usage: TokenUsage; cost: CostResult; text: string; raw: Message['usage'] }
      | undefined;
    if (outcome) {
      const snapshot = outcome.value.snapshot ?? outcome.value.messageStream.currentMessage;
      const partialText = snapshot ? messageText(snapshot) : '';
      const raw = snapshot?.usage;
      if (raw) {
        // Output tokens so far: an upper bound of what the broken stream was billed.
        const output = partialOutputTokens(snapshot, {
          tokenizer: this.#catalog.find(outcome.model)?.tokenizer,
          maxTokens: prepared.request.max_tokens,
        });
        const merged = { ...raw, output_tokens: output };
        const usage = tokenUsage(merged, true);
        partial = {
          model: outcome.model,
          usage,
          cost: this.#cost(snapshot?.model || outcome.model, merged, true),
          text: partialText,
          raw: merged,
        };
      }
    }
    const aborted = prepared.userSignals.some((signal) => signal.aborted);
    const timedOut = prepared.timeoutSignal?.aborted === true && !aborted;
    if (error instanceof CallAbortedError && !partial) {
      mapped = error;
    } else if (aborted || error instanceof CallAbortedError) {
      mapped = new CallAbortedError(
        {
          model: partial?.model ?? prepared.modelRequested,
          partialText: partial?.text ?? '',
          usage: partial?.usage,
        },
        partial?.cost,
        error,
      );
    } else if (timedOut) {
      mapped = new CallTimeoutError(
        { timeoutMs: prepared.totalTimeoutMs ?? 0, attempts: outcome?.attempts.length ?? 0 },
        error,
      );
    } else if (outcome && partial) {
      // The stream broke after content had reached the caller.
      const failure = classifyFailure(error, this.#clock.now());
      if (failure.breakerFailure) this.#breakers.get(outcome.model).recordFailure();
      mapped = new StreamInterruptedError(
        {
          kind: failure.kind,
          model: outcome.model,
          requestId: outcome.value.requestId ?? failure.requestId,
          partialText: partial.text,
          usage: partial.usage,
          // How continuation() may resume: a prefill, or a turn asking to carry on.
          prefill: this.#catalog.find(outcome.model)?.capabilities.prefill ?? true,
        },
        snapshotContent(outcome.value),
        partial.cost,
        { ...prepared.request, model: outcome.model },
        error,
      );
    } else {
      mapped = error instanceof Error ? error : new Error(String(error));
    }
    const code = (mapped as { code?: unknown }).code;
    const errorCode = typeof code === 'string' ? code : mapped.name;
    const record: CallRecord = {
      status: mapped instanceof CallAbortedError ? 'aborted' : 'error',
      errorCode,
      startedAt: prepared.startedAt,
      durationMs: performance.now() - prepared.started,
      modelRequested: prepared.modelRequested,
      retries: outcome ? outcome.retries : retriesOf(mapped),
      stream: prepared.stream,
      tags: prepared.tags,
    };
    if (prepared.task !== undefined) record.task = prepared.task;
    if (prepared.id !== undefined) record.id = prepared.id;
    if (firstContentAt !== undefined) record.timeToFirstTokenMs = firstContentAt - prepared.started;
    if (outcome?.value.requestId !== undefined) record.requestId = outcome.value.requestId;
    if (partial) {
      record.modelServed = partial.model;
      record.usage = partial.usage;
      record.cost = partial.cost;
      record.rawUsage = partial.raw;
    }
    this.#record(record);
    const log: CallLogRecord = {
      event: 'claude_call',
      status: errorCode,
      durationMs: Math.round(record.durationMs * 1000) / 1000,
      modelRequested: prepared.modelRequested,
      retries: record.retries,
      stream: prepared.stream,
      error: mapped.message,
    };
    addLogFields(log, prepared.tags, partial?.usage, partial?.cost);
    if (partial) log.modelServed = partial.model;
    if (prepared.task !== undefined) log.task = prepared.task;
    if (record.requestId !== undefined) log.requestId = record.requestId;
    if (prepared.logContent) {
      log.content = { request: requestText(prepared.request), response: partial?.text ?? '' };
    }
    this.#deferred.defer(() => this.#logger.write(log));
    span.fail(mapped, partial);
    return mapped;
  }

  /**
   * Reserves the call's worst case against the budgets, computed from the request as it will be
   * sent and priced at the dearest model of its chain (see worstCaseReservation), then tells the
   * caller the call is admitted.
   */
  async #reserve(prepared: PreparedCall): Promise<BudgetReservation | undefined> {
    if (!this.#budgets) return undefined;
    const params = prepared.request;
    const reserve = worstCaseReservation({
      request: params as unknown as Parameters<typeof worstCaseReservation>[0]['request'],
      models: prepared.chain,
      catalog: this.#catalog,
      tags: prepared.tags,
    });
    const reservation = await this.#budgets.reserve(reserve);
    if (prepared.onReserved) {
      this.#admitted(prepared, {
        picoUsd: reservation.picoUsd,
        tokens: reservation.tokens,
        model: reserve.model,
        inputTokens: reserve.estimatedInputTokens,
        limitIds: reservation.limitIds,
      });
    }
    return reservation;
  }

  #admitted(prepared: PreparedCall, hold: CallHold | undefined): void {
    try {
      prepared.onReserved?.(hold);
    } catch (error) {
      this.#internalProblem('on_reserved_failed', error);
    }
  }

  /** Settles a reservation to what was spent (a partial cost for broken streams) or releases it. */
  async #closeReservation(
    reservation: BudgetReservation | undefined,
    error: Error | undefined,
    cost?: CostResult,
  ): Promise<void> {
    if (!reservation) return;
    const spent = cost ?? (error as { cost?: CostResult } | undefined)?.cost;
    try {
      if (spent) await reservation.settle({ cost: spent });
      else await reservation.release();
    } catch (problem) {
      this.#internalProblem('budget_settle_failed', problem);
    }
  }

  /**
   * Tells the start recorders (the server's ledger) about the call before it is sent and waits
   * for them, so a crash mid-call leaves a row; their failures are reported, never thrown.
   */
  async #recordStart(
    prepared: PreparedCall,
    reservation: BudgetReservation | undefined,
  ): Promise<void> {
    prepared.id = timeOrderedId(prepared.startedAt);
    const start: CallStart = {
      id: prepared.id,
      startedAt: prepared.startedAt,
      modelRequested: prepared.modelRequested,
      models: prepared.chain,
      stream: prepared.stream,
      tags: prepared.tags,
      estimatedInputTokens: this.#estimateInput(prepared),
      maxOutputTokens: prepared.request.max_tokens,
      inferenceGeo: prepared.request.inference_geo ?? null,
    };
    if (prepared.task !== undefined) start.task = prepared.task;
    if (reservation) start.reservationId = reservation.id;
    if (prepared.totalTimeoutMs !== undefined) {
      start.deadlineAt = prepared.startedAt + prepared.totalTimeoutMs;
    }
    await Promise.all(
      this.#startRecorders.map((recorder) =>
        recorder.started!(start).catch((error: unknown) =>
          this.#internalProblem('call_start_record_failed', error),
        ),
      ),
    );
  }

  #internalProblem(status: string, error: unknown): void {
    this.#logger.write({
      event: 'claude_call',
      status,
      durationMs: 0,
      modelRequested: '',
      retries: 0,
      stream: false,
      error: error instanceof Error ? error.message : String(error),
    });
  }

  #record(record: CallRecord): void {
    if (this.#recorders.length > 0) this.#deferred.defer(() => this.#recordNow(record));
  }

  #recordNow(record: CallRecord): void {
    for (const recorder of this.#recorders) {
      try {
        const pending = recorder.record(record);
        if (pending && typeof (pending as Promise<void>).then === 'function') {
          const tracked = (pending as Promise<void>).catch((error: unknown) => {
            this.#logger.write({
              event: 'claude_call',
              status: 'recorder_failed',
              durationMs: 0,
              modelRequested: record.modelRequested,
              retries: 0,
              stream: record.stream,
              error: error instanceof Error ? error.message : String(error),
            });
          });
          this.#pending.add(tracked);
          void tracked.finally(() => this.#pending.delete(tracked));
        }
      } catch (error) {
        this.#logger.write({
          event: 'claude_call',
          status: 'recorder_failed',
          durationMs: 0,
          modelRequested: record.modelRequested,
          retries: 0,
          stream: record.stream,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}

function snapshotContent(opened: OpenedStream): Message['content'] {
  return (opened.snapshot ?? opened.messageStream.currentMessage)?.content ?? [];
}

function retriesOf(error: Error): number {
  const attempts = (error as { details?: { attempts?: unknown } }).details?.attempts;
  return Array.isArray(attempts)
    ? Math.max(
        0,
        attempts.filter((attempt: { outcome?: string }) => attempt.outcome !== 'circuit_open')
          .length - 1,
      )
    : 0;
}

/** The last user message's text, for content logging. */
function requestText(request: KeelRequest): string {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index]!;
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  }
  return '';
}

/**
 * The request body of one attempt: the caller's parameters without `task`, with the model of this
 * attempt, and without the sampling fields when `withoutSampling` (the caller adds back what the
 * model accepts). Copied key by key: an object rest or a spread followed by more fields is slow on
 * Node 20, and this runs for every attempt.
 */
function requestBody(
  params: KeelRequest,
  model: string,
  stream: boolean | undefined,
  withoutSampling: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const source = params as unknown as Record<string, unknown>;
  for (const key in source) {
    if (key === 'task' || key === 'model' || key === 'stream') continue;
    if (withoutSampling && (key === 'temperature' || key === 'top_p' || key === 'top_k')) continue;
    body[key] = source[key];
  }
  body.model = model;
  if (stream !== undefined) body.stream = stream;
  return body;
}

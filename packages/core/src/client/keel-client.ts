import Anthropic from '@anthropic-ai/sdk';
import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import type { CallResult } from '../call/call-result.ts';
import type { SamplingParameters } from '../call/sampling-parameters.ts';
import { loadEnvironment } from '../config/load-environment.ts';
import { createLedgerRecorder } from '../ledger/ledger-call-recorder.ts';
import { CallLogger } from '../logging/call-logger.ts';
import { defaultIdleTimeoutMs } from '../resilience/attempt-timeouts.ts';
import { CircuitBreakerRegistry, type CircuitState } from '../resilience/circuit-breaker.ts';
import { systemClock, timerSleep } from '../resilience/clock.ts';
import { RateLimiter } from '../resilience/rate-limiter.ts';
import { runWithResilience } from '../resilience/run-with-resilience.ts';
import { loadRoutingTable, type RoutingTable } from '../routing/routing-table.ts';
import { CallTelemetry } from '../telemetry/call-telemetry.ts';
import { countTokens, type TokenCount, type TokenCountMode } from '../tokens/count-tokens.ts';
import { WarnOnce } from '../warnings/keel-warning.ts';
import { apiVersionOf } from './api-version.ts';
import { createMessage } from './attempt-call.ts';
import type { CallOptions } from './call-options.ts';
import { CallPipeline } from './call-pipeline.ts';
import { CallReporter } from './call-reporter.ts';
import { countTokensParams } from './count-tokens-params.ts';
import type { KeelClientOptions } from './keel-client-options.ts';
import type { KeelRequest } from './keel-request.ts';
import { KeelStream } from './keel-stream.ts';
import { fallbacksFor, type CallDefaults } from './prepare-call.ts';
import { sendableSamplingParameters } from './sendable-sampling-parameters.ts';
import { streamCall } from './stream-call.ts';
import { applyTruncationPolicy } from './truncation-policy.ts';

/**
 * The way to call Claude: the official SDK underneath (its client, types, MessageStream and
 * errors), with routing, retries, circuit breakers, fallback, client-side rate limiting, exact
 * cost, one log line, a span and metrics per call, and recorders (the ledger) on every outcome.
 *
 * A coordinator: each call goes through the stages of `CallPipeline` (prepare, reserve, attempt,
 * map failure, report), each in a file of its own.
 */
export class KeelClient {
  /** The underlying SDK client (built with `maxRetries: 0`: Keel does the retrying). */
  readonly anthropic: Anthropic;
  /** The routing table in use. */
  readonly routing: RoutingTable;
  readonly #catalog: ModelCatalog;
  readonly #defaults: CallDefaults;
  readonly #breakers: CircuitBreakerRegistry;
  readonly #warnings: WarnOnce;
  readonly #reporter: CallReporter;
  readonly #pipeline: CallPipeline;

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
    const catalog = (this.#catalog = options.catalog ?? defaultModelCatalog());
    this.routing =
      options.routing ??
      loadRoutingTable({ environment: options.environment ?? 'development', catalog });
    const resilience = options.resilience ?? {};
    const clock = options._internal?.clock ?? systemClock;
    const sleep = options._internal?.sleep ?? timerSleep;
    this.#breakers = new CircuitBreakerRegistry(
      resilience.circuitBreaker ?? {},
      clock,
      options.onCircuitChange,
    );
    const limiter = new RateLimiter(resilience.rateLimit ?? {}, clock, sleep);
    const secrets = [options.apiKey, this.anthropic.apiKey, this.anthropic.authToken].filter(
      (secret): secret is string => typeof secret === 'string' && secret !== '',
    );
    const logger = new CallLogger({ logger: options.logger, secrets });
    // Warnings go to the caller's listener, else the log, else Node's warning channel: never nowhere.
    this.#warnings = new WarnOnce(
      options.onWarning ?? (logger.enabled ? (warning) => logger.warn(warning) : undefined),
    );
    const recorders = [...(options.recorders ?? [])];
    if (options.ledger) {
      const ledger = options.ledger;
      const onError = (error: unknown) => this.#reporter.problem('ledger_write_failed', error);
      recorders.unshift(createLedgerRecorder({ ledger, onError }));
    }
    this.#reporter = new CallReporter({
      logger,
      recorders,
      windowMs: options.afterCallWindowMs ?? 20,
    });
    this.#defaults = {
      routing: this.routing,
      catalog,
      resilience,
      idleTimeoutMs: resilience.idleTimeoutMs ?? defaultIdleTimeoutMs,
      defaultAttemptTimeouts:
        !options.anthropic || options.anthropic.timeout === Anthropic.DEFAULT_TIMEOUT,
      tags: options.defaultTags ?? {},
      onTruncation: options.onTruncation ?? 'error',
      logContent: options.logContent ?? false,
      apiVersion: apiVersionOf(this.anthropic),
    };
    this.#pipeline = new CallPipeline({
      anthropic: this.anthropic,
      defaults: this.#defaults,
      budgets: options.budgets,
      breakers: this.#breakers,
      limiter,
      clock,
      telemetry: new CallTelemetry(options.telemetry),
      reporter: this.#reporter,
      warnings: this.#warnings,
      resilience: {
        policy: resilience,
        breakers: this.#breakers,
        limiter,
        clock,
        sleep,
        random: options._internal?.random ?? Math.random,
      },
    });
  }

  /**
   * The `anthropic-version` this client sends (its SDK client's default headers, else the SDK's
   * own, 2026-10-21); a call's `headers` may name another.
   */
  get apiVersion(): string {
    return this.#defaults.apiVersion;
  }

  /**
   * The sampling fields a request to `model` may carry under `apiVersion` (default the client's),
   * warning once about non-default values left out. Everything Keel sends goes through here.
   */
  supportedSamplingParameters(
    parameters: SamplingParameters,
    model: string,
    apiVersion: string = this.#defaults.apiVersion,
  ): SamplingParameters {
    const catalog = this.#catalog;
    return sendableSamplingParameters({
      parameters,
      model,
      apiVersion,
      catalog,
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
    return { model, fallbacks: fallbacksFor(model, this.#defaults) };
  }

  /** Counts a request's input tokens: `local` (instant estimate), `api` (count_tokens) or `auto`. */
  countTokens(
    request: KeelRequest,
    options: { mode?: TokenCountMode; signal?: AbortSignal } = {},
  ): Promise<TokenCount> {
    const model = request.model ?? this.routing.route(request.task).model;
    return countTokens(countTokensParams(request, model), {
      mode: options.mode ?? 'auto',
      client: this.anthropic,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** A non-streaming call. Resolves with the result; throws a typed KeelError on failure. */
  async call(request: KeelRequest, options: CallOptions = {}): Promise<CallResult> {
    const pipeline = this.#pipeline;
    const call = pipeline.prepare(request, options, undefined, false);
    let outcome;
    try {
      await pipeline.admit(call);
      outcome = await runWithResilience(
        pipeline.attempts(call, (model) =>
          createMessage({
            anthropic: this.anthropic,
            limiter: pipeline.parts.limiter,
            prepared: call.prepared,
            model,
            body: pipeline.body(call, model, false),
          }),
        ),
      );
    } catch (error) {
      throw await pipeline.fail(call, error);
    }
    outcome.permit.release();
    const result = await pipeline.succeed(call, outcome, outcome.value);
    return applyTruncationPolicy(call.prepared, result);
  }

  /**
   * A streaming call: iterate the returned stream for typed events, or await `finalMessage()`.
   * An overload or dropped connection before any content reached the caller is retried (and may
   * fall back) invisibly; after that the iteration throws `StreamInterruptedError`.
   */
  stream(request: KeelRequest, options: CallOptions = {}): KeelStream {
    const controller = new AbortController();
    return new KeelStream((own) => streamCall(this.#pipeline, request, options, own), controller);
  }

  /**
   * Writes everything queued: log lines, recorder and ledger entries. Call it before reading the
   * ledger in tests and before the process exits.
   */
  flush(): Promise<void> {
    return this.#reporter.flush();
  }

  /**
   * Ends the client's part in the process: writes everything queued (see `flush()`). The client
   * holds no connection or timer of its own, so it stays usable.
   */
  close(): Promise<void> {
    return this.flush();
  }
}

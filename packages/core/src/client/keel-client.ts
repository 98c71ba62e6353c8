import type Anthropic from '@anthropic-ai/sdk';
import type { ModelCatalog } from '@keel/models';
import type { CallResult } from '../call/call-result.ts';
import type { SamplingParameters } from '../call/sampling-parameters.ts';
import type { CircuitBreakerRegistry, CircuitState } from '../resilience/circuit-breaker.ts';
import { runWithResilience } from '../resilience/run-with-resilience.ts';
import type { RoutingTable } from '../routing/routing-table.ts';
import { countTokens, type TokenCount, type TokenCountMode } from '../tokens/count-tokens.ts';
import type { WarnOnce } from '../warnings/keel-warning.ts';
import { createMessage } from './attempt-call.ts';
import type { CallOptions } from './call-options.ts';
import type { CallPipeline } from './call-pipeline.ts';
import type { CallReporter } from './call-reporter.ts';
import { buildClientParts } from './client-parts.ts';
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
    const parts = buildClientParts(options);
    this.anthropic = parts.anthropic;
    this.routing = parts.routing;
    this.#catalog = parts.catalog;
    this.#defaults = parts.defaults;
    this.#breakers = parts.breakers;
    this.#warnings = parts.warnings;
    this.#reporter = parts.reporter;
    this.#pipeline = parts.pipeline;
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

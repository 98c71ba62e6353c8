import {
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Histogram,
  type MeterProvider,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type { CallResult } from '../call/call-result.ts';
import type { CallTags } from '../call/call-tags.ts';
import type { TokenUsage } from '../call/token-usage.ts';
import type { CostResult } from '../cost/cost-result.ts';

/** Where spans and metrics go. Default: whatever is registered with the OpenTelemetry API (no-op when nothing is). */
export interface TelemetryOptions {
  /** Tracer provider to use instead of the global one. */
  tracerProvider?: TracerProvider;
  /** Meter provider to use instead of the global one. */
  meterProvider?: MeterProvider;
}

/** The request fields a span records. */
export interface SpanRequest {
  /** The model asked for. */
  model: string;
  /** `max_tokens`. */
  maxTokens: number;
  /** `temperature`, when set. */
  temperature?: number | null | undefined;
  /** `top_p`, when set. */
  topP?: number | null | undefined;
  /** `top_k`, when set. */
  topK?: number | null | undefined;
  /** Whether the call streams. */
  stream: boolean;
  /** The call's tags. */
  tags: CallTags;
  /** The routed task. */
  task: string | undefined;
}

const tokenBuckets = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
const durationBuckets = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/** One call's span; `end` or `fail` exactly once. */
export interface CallSpan {
  /** Records the result and ends the span. */
  end(result: CallResult): void;
  /** Records a failure (with partial usage when known) and ends the span. */
  fail(error: unknown, partial?: { model: string; usage: TokenUsage; cost: CostResult }): void;
}

/** The span of a call made while telemetry is off. */
export const disabledSpan: CallSpan = { end: () => {}, fail: () => {} };

function usageAttributes(usage: TokenUsage): Attributes {
  return {
    // The GenAI conventions count every input token, cached ones included.
    'gen_ai.usage.input_tokens': usage.totalInput,
    'gen_ai.usage.cache_read.input_tokens': usage.cacheRead,
    'gen_ai.usage.cache_creation.input_tokens': usage.cacheWrite5m + usage.cacheWrite1h,
    'gen_ai.usage.output_tokens': usage.output,
    'keel.usage.input_tokens.uncached': usage.input,
    'keel.usage.cache_creation_1h.input_tokens': usage.cacheWrite1h,
    'keel.usage.partial': usage.partial,
  };
}

function costAttributes(cost: CostResult): Attributes {
  return cost.priced
    ? { 'keel.cost.priced': true, 'keel.cost.usd': cost.usd, 'keel.cost.usd_text': cost.usdText }
    : { 'keel.cost.priced': false, 'keel.cost.unpriced_reason': cost.reason };
}

/**
 * OpenTelemetry for calls, per the GenAI semantic conventions: a `chat {model}` CLIENT span per
 * call (all retries and fallbacks inside it) and the `gen_ai.client.token.usage` and
 * `gen_ai.client.operation.duration` histograms. Uses only `@opentelemetry/api`: without a
 * registered SDK every operation is a no-op and no attributes are built.
 */
export class CallTelemetry {
  readonly #tracer: Tracer;
  readonly #tokenUsage: Histogram;
  readonly #duration: Histogram;
  /** The global proxy provider, when no provider was given: checked per call for a late SDK. */
  readonly #globalTracerProvider: { getDelegate(): unknown } | undefined;
  /** True when metrics go to the no-op provider (the metrics API never binds late). */
  readonly #metricsOff: boolean;

  constructor(options: TelemetryOptions = {}) {
    const tracerProvider = options.tracerProvider ?? trace.getTracerProvider();
    this.#tracer = tracerProvider.getTracer('@keel/core');
    this.#globalTracerProvider = options.tracerProvider
      ? undefined
      : (tracerProvider as unknown as { getDelegate?(): unknown }).getDelegate
        ? (tracerProvider as unknown as { getDelegate(): unknown })
        : undefined;
    const meterProvider = options.meterProvider ?? metrics.getMeterProvider();
    this.#metricsOff = meterProvider.constructor.name === 'NoopMeterProvider';
    const meter = meterProvider.getMeter('@keel/core');
    this.#tokenUsage = meter.createHistogram('gen_ai.client.token.usage', {
      description: 'Number of input and output tokens used',
      unit: '{token}',
      advice: { explicitBucketBoundaries: tokenBuckets },
    });
    this.#duration = meter.createHistogram('gen_ai.client.operation.duration', {
      description: 'GenAI operation duration',
      unit: 's',
      advice: { explicitBucketBoundaries: durationBuckets },
    });
  }

  /**
   * False when nothing is registered at all (no tracer, no meter): callers can then skip building
   * the span's request fields, and `start` returns a span that does nothing.
   */
  get enabled(): boolean {
    return !(
      this.#metricsOff &&
      this.#globalTracerProvider &&
      (this.#globalTracerProvider.getDelegate() as object).constructor.name === 'NoopTracerProvider'
    );
  }

  /** Starts the span of one call. */
  start(request: SpanRequest): CallSpan {
    // Nothing registered at all: skip even the no-op span and the metric attributes.
    if (!this.enabled) return disabledSpan;
    const span = this.#tracer.startSpan(`chat ${request.model}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': request.model,
      },
    });
    const recording = span.isRecording();
    if (recording) {
      const attributes: Attributes = {
        'gen_ai.request.max_tokens': request.maxTokens,
        'keel.stream': request.stream,
      };
      if (request.temperature != null)
        attributes['gen_ai.request.temperature'] = request.temperature;
      if (request.topP != null) attributes['gen_ai.request.top_p'] = request.topP;
      if (request.topK != null) attributes['gen_ai.request.top_k'] = request.topK;
      if (request.task !== undefined) attributes['keel.task'] = request.task;
      const { tags } = request;
      if (tags.feature !== undefined) attributes['keel.feature'] = tags.feature;
      if (tags.user !== undefined) attributes['keel.user'] = tags.user;
      if (tags.session !== undefined) {
        attributes['keel.session'] = tags.session;
        attributes['gen_ai.conversation.id'] = tags.session;
      }
      if (tags.promptId !== undefined) attributes['keel.prompt.id'] = tags.promptId;
      if (tags.promptVersion !== undefined) attributes['keel.prompt.version'] = tags.promptVersion;
      span.setAttributes(attributes);
    }
    const started = performance.now();
    const record = (model: string, usage: TokenUsage | undefined, errorType?: string) => {
      if (this.#metricsOff) return;
      const seconds = (performance.now() - started) / 1000;
      const base: Attributes = {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': request.model,
        'gen_ai.response.model': model,
      };
      this.#duration.record(seconds, errorType ? { ...base, 'error.type': errorType } : base);
      if (usage) {
        this.#tokenUsage.record(usage.totalInput, { ...base, 'gen_ai.token.type': 'input' });
        this.#tokenUsage.record(usage.output, { ...base, 'gen_ai.token.type': 'output' });
      }
    };
    return {
      end: (result) => {
        record(result.modelServed, result.usage);
        if (recording) {
          const attributes: Attributes = {
            'gen_ai.response.model': result.message.model,
            'gen_ai.response.id': result.message.id,
            'gen_ai.response.finish_reasons': [result.stopReason ?? 'unknown'],
            ...usageAttributes(result.usage),
            ...costAttributes(result.cost),
            'keel.model.served': result.modelServed,
            'keel.fallback_used': result.fallbackUsed,
            'keel.retries': result.retries,
            'keel.outcome': result.outcome,
          };
          if (result.requestId !== undefined) attributes['keel.request_id'] = result.requestId;
          if (result.timeToFirstTokenMs !== undefined) {
            attributes['gen_ai.response.time_to_first_chunk'] = result.timeToFirstTokenMs / 1000;
          }
          span.setAttributes(attributes);
        }
        span.end();
      },
      fail: (error, partial) => {
        const errorType =
          (error as { code?: unknown })?.code &&
          typeof (error as { code: unknown }).code === 'string'
            ? (error as { code: string }).code
            : error instanceof Error
              ? error.name
              : 'error';
        record(partial?.model ?? request.model, partial?.usage, errorType);
        if (recording) {
          span.setAttribute('error.type', errorType);
          if (partial) {
            span.setAttributes({
              'gen_ai.response.model': partial.model,
              ...usageAttributes(partial.usage),
              ...costAttributes(partial.cost),
            });
          }
          if (error instanceof Error) span.recordException(error);
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: error instanceof Error ? error.message : String(error),
          });
        }
        span.end();
      },
    };
  }
}

import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeel } from '../client/create-keel.ts';

let emulator: EmulatorHandle;
const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(spans)],
});
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
});
const meterProvider = new MeterProvider({ readers: [reader] });

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
  await meterProvider.shutdown();
});
beforeEach(() => {
  spans.reset();
  metricExporter.reset();
});

const keel = () =>
  createKeel({
    apiKey: 'test-key',
    baseURL: emulator.url,
    logger: false,
    telemetry: { tracerProvider, meterProvider },
    resilience: { maxRetries: 0, fallbacks: {} },
  });

const keelSpans = () => spans.getFinishedSpans().filter((span) => span.name.startsWith('chat '));

describe('OpenTelemetry per the GenAI semantic conventions', () => {
  it('records a chat span with request, response, usage (cache-inclusive input), cost and tags', async () => {
    const result = await keel().call(
      {
        model: 'claude-sonnet-4-6',
        max_tokens: 120,
        messages: [{ role: 'user', content: 'Explain spans briefly' }],
      },
      {
        tags: {
          feature: 'docs',
          user: 'u-7',
          session: 's-9',
          promptId: 'explain',
          promptVersion: '2',
        },
      },
    );
    const [span] = keelSpans();
    expect(span).toBeDefined();
    expect(span!.name).toBe('chat claude-sonnet-4-6');
    expect(span!.kind).toBe(2); // CLIENT
    expect(span!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-6',
      'gen_ai.request.max_tokens': 120,
      'gen_ai.response.model': result.message.model,
      'gen_ai.response.id': result.message.id,
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.usage.input_tokens': result.usage.totalInput,
      'gen_ai.usage.cache_read.input_tokens': result.usage.cacheRead,
      'gen_ai.usage.cache_creation.input_tokens':
        result.usage.cacheWrite5m + result.usage.cacheWrite1h,
      'gen_ai.usage.output_tokens': result.usage.output,
      'gen_ai.conversation.id': 's-9',
      'keel.feature': 'docs',
      'keel.user': 'u-7',
      'keel.session': 's-9',
      'keel.prompt.id': 'explain',
      'keel.prompt.version': '2',
      'keel.cost.priced': true,
      'keel.retries': 0,
      'keel.model.served': 'claude-sonnet-4-6',
    });
    expect(span!.attributes['keel.cost.usd']).toBeCloseTo(
      result.cost.priced ? result.cost.usd : -1,
      15,
    );
  });

  it('counts cached tokens inside gen_ai.usage.input_tokens', async () => {
    const client = keel();
    const system = [
      {
        type: 'text' as const,
        text: 'Policy. '.repeat(1500),
        cache_control: { type: 'ephemeral' as const },
      },
    ];
    const request = {
      model: 'claude-sonnet-4-6',
      max_tokens: 50,
      system,
      messages: [{ role: 'user' as const, content: 'Hi' }],
    };
    await client.call(request);
    const second = await client.call(request);
    expect(second.usage.cacheRead).toBeGreaterThan(0);
    const span = keelSpans().at(-1)!;
    expect(span.attributes['gen_ai.usage.cache_read.input_tokens']).toBe(second.usage.cacheRead);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(
      second.usage.input +
        second.usage.cacheRead +
        second.usage.cacheWrite5m +
        second.usage.cacheWrite1h,
    );
    expect(second.usage.totalInput).toBeGreaterThan(second.usage.input);
  });

  it('marks a failed call with error.type and ERROR status', async () => {
    emulator.state.faults.setRules([{ type: 'overloaded', count: 1 }]);
    await keel()
      .call({
        model: 'claude-sonnet-4-6',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch(() => {});
    const [span] = keelSpans();
    expect(span!.attributes['error.type']).toBe('retry_exhausted');
    expect(span!.status.code).toBe(2); // ERROR
  });

  it('records the token-usage and operation-duration histograms', async () => {
    const result = await keel().call({
      model: 'claude-haiku-4-5-20251001',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Count me' }],
    });
    await reader.forceFlush();
    const metrics = metricExporter
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics)
      .flatMap((scope) => scope.metrics);
    const usage = metrics.find(
      (metric) => metric.descriptor.name === 'gen_ai.client.token.usage',
    ) as HistogramMetricData;
    const duration = metrics.find(
      (metric) => metric.descriptor.name === 'gen_ai.client.operation.duration',
    ) as HistogramMetricData;
    expect(usage.descriptor.unit).toBe('{token}');
    expect(duration.descriptor.unit).toBe('s');
    const haiku = usage.dataPoints.filter(
      (point) => point.attributes['gen_ai.request.model'] === 'claude-haiku-4-5-20251001',
    );
    const input = haiku.find((point) => point.attributes['gen_ai.token.type'] === 'input')!;
    const output = haiku.find((point) => point.attributes['gen_ai.token.type'] === 'output')!;
    expect(input.value.sum).toBe(result.usage.totalInput);
    expect(output.value.sum).toBe(result.usage.output);
    expect(input.attributes['gen_ai.provider.name']).toBe('anthropic');
    const calls = duration.dataPoints.find(
      (point) => point.attributes['gen_ai.request.model'] === 'claude-haiku-4-5-20251001',
    )!;
    expect(calls.value.count).toBe(1);
  });
});

describe('without any OpenTelemetry SDK', () => {
  it('costs nothing: the span handle is a shared no-op, and calls still succeed', async () => {
    const { CallTelemetry } = await import('./call-telemetry.ts');
    const telemetry = new CallTelemetry();
    const request = { model: 'm', maxTokens: 1, stream: false, tags: {}, task: undefined };
    expect(telemetry.start(request)).toBe(telemetry.start(request));
    const withProvider = new CallTelemetry({ tracerProvider, meterProvider });
    expect(withProvider.start(request)).not.toBe(withProvider.start(request));
  });
});

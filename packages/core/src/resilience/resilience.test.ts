import {
  AdjustableClock,
  startEmulator,
  type EmulatorHandle,
  type FaultRule,
} from '@keel/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKeel } from '../client/create-keel.ts';
import type { KeelClientOptions } from '../client/keel-client-options.ts';
import type { CallResult } from '../call/call-result.ts';
import { continueInstruction } from '../client/continuation-request.ts';
import { StreamInterruptedError } from '../client/stream-interrupted-error.ts';
import { CallTimeoutError } from './call-timeout-error.ts';
import { CircuitOpenError } from './circuit-open-error.ts';
import { ClaudeApiError } from './claude-api-error.ts';
import { RetryExhaustedError } from './retry-exhausted-error.ts';
import { startStatusServer } from './status-server.fixture.ts';

let emulator: EmulatorHandle;
let clock: AdjustableClock;

beforeAll(async () => {
  clock = new AdjustableClock();
  emulator = await startEmulator({ clock });
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => {
  emulator.state.faults.setRules([]);
  emulator.state.requestLog.clear();
});

/** A client whose waits move the emulator's clock instead of the wall clock. */
function keel(overrides: Partial<KeelClientOptions> = {}, baseURL = emulator.url) {
  const slept: number[] = [];
  const client = createKeel({
    apiKey: 'test-key',
    baseURL,
    logger: false,
    ...overrides,
    _internal: {
      clock,
      random: () => 0,
      sleep: async (ms) => {
        slept.push(ms);
        clock.advance(ms);
        // Let sockets make progress, as a real wait would.
        await new Promise((resolve) => setImmediate(resolve));
      },
      ...overrides._internal,
    },
  });
  return { client, slept };
}

const request = {
  model: 'claude-sonnet-4-6',
  max_tokens: 300,
  messages: [{ role: 'user' as const, content: 'Tell me about resilient systems and retries' }],
};
const longRequest = {
  ...request,
  max_tokens: 2000,
  messages: [{ role: 'user' as const, content: 'stream '.repeat(120) }],
};

function faults(...rules: FaultRule[]) {
  emulator.state.faults.setRules(rules);
}

function served() {
  return emulator.state.requestLog.list().filter((entry) => entry.path === '/v1/messages');
}

describe('retries against the emulator', () => {
  it.each([
    ['rate_limit', 429],
    ['api_error', 500],
    ['overloaded', 529],
  ] as const)('retries %s (%i) and succeeds', async (type, status) => {
    faults({ type, count: 2 });
    const { client } = keel({ resilience: { fallbacks: {} } });
    const result = await client.call(request);
    expect(result.retries).toBe(2);
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual([
      expect.any(String),
      expect.any(String),
      'success',
    ]);
    expect(result.attempts[0]!.status).toBe(status);
    expect(served().map((entry) => entry.status)).toEqual([status, status, 200]);
  });

  it('retries a connection reset', async () => {
    faults({ type: 'connection_reset', count: 1 });
    const { client } = keel();
    const result = await client.call(request);
    expect(result.retries).toBe(1);
    expect(result.attempts[0]!.outcome).toBe('connection');
  });

  it('honours retry-after (measured through the injected sleep and the request log)', async () => {
    faults({ type: 'rate_limit', count: 1, retryAfterSeconds: 7 });
    const { client, slept } = keel();
    const started = clock.now();
    const result = await client.call(request);
    expect(result.retries).toBe(1);
    expect(slept.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(7000);
    const log = served();
    expect(log.map((entry) => entry.status)).toEqual([429, 200]);
    // The retry reached the emulator only after its clock had moved past the retry-after.
    expect(Date.parse(log[1]!.time) - started).toBeGreaterThanOrEqual(7000);
  });

  it('backs off exponentially when the server gives no retry-after', async () => {
    faults({ type: 'api_error', count: 3 });
    const { client, slept } = keel({
      resilience: { fallbacks: {}, backoff: { initialDelayMs: 100, maxDelayMs: 10_000 } },
    });
    await client.call(request);
    expect(slept).toEqual([100, 200, 400]);
  });

  it('gives up with RetryExhaustedError carrying every attempt', async () => {
    faults({ type: 'overloaded' });
    const { client } = keel({ resilience: { maxRetries: 2, fallbacks: {} } });
    const error = await client.call(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    const exhausted = error as RetryExhaustedError;
    expect(exhausted.code).toBe('retry_exhausted');
    expect(exhausted.details.attempts).toHaveLength(3);
    expect(exhausted.details.lastStatus).toBe(529);
    expect(exhausted.details.lastRequestId).toMatch(/^req_/);
    expect(served()).toHaveLength(3);
  });

  it('never retries other 4xx from the emulator (400, 401, 404)', async () => {
    const { client } = keel();
    const badRequest = await client
      .call({ ...request, max_tokens: 10_000_000 })
      .catch((caught: unknown) => caught);
    expect(badRequest).toBeInstanceOf(ClaudeApiError);
    expect((badRequest as ClaudeApiError).status).toBe(400);
    expect((badRequest as ClaudeApiError).requestId).toMatch(/^req_/);
    const notFound = await client
      .call({ ...request, model: 'claude-nonexistent-9' })
      .catch((caught: unknown) => caught);
    expect((notFound as ClaudeApiError).status).toBe(404);
    const locked = await startEmulator({ apiKeys: ['the-right-key'] });
    try {
      const unauthorized = await keel({ apiKey: 'the-wrong-key' }, locked.url)
        .client.call(request)
        .catch((caught: unknown) => caught);
      expect((unauthorized as ClaudeApiError).status).toBe(401);
      expect((unauthorized as ClaudeApiError).code).toBe('claude_client_error');
      expect(locked.state.requestLog.list()).toHaveLength(1);
    } finally {
      await locked.close();
    }
    expect(served()).toHaveLength(2);
  });
});

describe('statuses the emulator does not inject (scripted server)', () => {
  it.each([408, 409, 502, 503, 504])('retries %i', async (status) => {
    const server = await startStatusServer([{ status }]);
    try {
      const result = await keel({ resilience: { fallbacks: {} } }, server.url).client.call(request);
      expect(result.retries).toBe(1);
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it.each([400, 401, 403, 404, 413, 422])('does not retry or fall back on %i', async (status) => {
    const server = await startStatusServer([{ status }]);
    try {
      const error = await keel({}, server.url)
        .client.call(request)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ClaudeApiError);
      expect((error as ClaudeApiError).status).toBe(status);
      expect((error as ClaudeApiError).requestId).toBe('req_status_1');
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('honours retry-after-ms before retry-after', async () => {
    const server = await startStatusServer([
      { status: 503, headers: { 'retry-after-ms': '1250', 'retry-after': '30' } },
    ]);
    try {
      const { client, slept } = keel({ resilience: { fallbacks: {} } }, server.url);
      await client.call(request);
      expect(slept).toEqual([1250]);
    } finally {
      await server.close();
    }
  });
});

describe('streams broken inside an HTTP 200', () => {
  it('retries an overload before any output reached the caller, invisibly', async () => {
    faults({ type: 'stream_error', afterTokens: 0, count: 1 });
    const { client } = keel();
    const deltas: string[] = [];
    const stream = client.stream(longRequest);
    for await (const event of stream) if (event.type === 'text-delta') deltas.push(event.text);
    const result = await stream.result();
    expect(result.retries).toBe(1);
    expect(result.attempts[0]!.outcome).toBe('overloaded');
    expect(deltas.join('')).toBe(result.text);
  });

  it('retries a cut stream before any output reached the caller', async () => {
    faults({ type: 'stream_cut', afterTokens: 0, count: 1 });
    const result = await keel().client.stream(longRequest).result();
    expect(result.retries).toBe(1);
    expect(result.attempts[0]!.outcome).toBe('connection');
  });

  it.each([
    ['stream_error', 'overloaded'],
    ['stream_cut', 'connection'],
  ] as const)(
    'after output reached the caller, %s raises StreamInterruptedError that can continue',
    async (type, kind) => {
      faults({ type, afterTokens: 6, count: 1 });
      const { client } = keel();
      let received = '';
      const error = await (async () => {
        for await (const event of client.stream(longRequest)) {
          if (event.type === 'text-delta') received += event.text;
        }
      })().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StreamInterruptedError);
      const interrupted = error as StreamInterruptedError;
      expect(interrupted.details.kind).toBe(kind);
      expect(interrupted.details.partialText).toBe(received);
      expect(received.length).toBeGreaterThan(0);
      expect(interrupted.details.usage.partial).toBe(true);
      expect(interrupted.details.usage.input).toBeGreaterThan(0);
      expect(interrupted.details.usage.output).toBeGreaterThan(0);
      expect(interrupted.cost.partial).toBe(true);
      const continuation = interrupted.continuation();
      // claude-sonnet-4-6 refuses an assistant prefill: the partial answer goes back as an
      // assistant turn, then a user turn asks the model to carry on.
      expect(interrupted.details.prefill).toBe(false);
      expect(continuation.messages.slice(-2)).toEqual([
        { role: 'assistant', content: received.trimEnd() },
        { role: 'user', content: continueInstruction },
      ]);
      expect(continuation.max_tokens).toBe(
        longRequest.max_tokens - interrupted.details.usage.output,
      );
      const rest = await client.stream(continuation).result();
      expect(rest.outcome).toBe('complete');
    },
  );
});

describe('retry notices', () => {
  it('tells onRetry about each retry (HTTP and in-stream), never about the final failure', async () => {
    faults({ type: 'overloaded', count: 1 }, { type: 'api_error', count: 1 });
    const { client, slept } = keel();
    const notices: unknown[] = [];
    const result = await client.call(request, { onRetry: (notice) => notices.push(notice) });
    expect(result.retries).toBe(2);
    expect(notices).toEqual([
      expect.objectContaining({ attempt: 1, reason: 'overloaded', status: 529 }),
      expect.objectContaining({ attempt: 2, reason: 'server_error', status: 500 }),
    ]);
    // The delays announced are the waits the client then made.
    const announced = (notices as Array<{ delayMs: number }>).map((notice) => notice.delayMs);
    expect(announced.filter((delay) => delay > 0)).toEqual(slept);

    faults({ type: 'stream_error', afterTokens: 0, count: 1 });
    const streamed: unknown[] = [];
    await keel()
      .client.stream(longRequest, { onRetry: (notice) => streamed.push(notice) })
      .result();
    expect(streamed).toEqual([
      expect.objectContaining({ attempt: 1, reason: 'overloaded', model: 'claude-sonnet-4-6' }),
    ]);

    faults({ type: 'api_error', count: 10 });
    const last: unknown[] = [];
    const failing = keel({ resilience: { maxRetries: 1 } }).client;
    await expect(
      failing.call(request, {
        onRetry: (notice) => {
          last.push(notice);
          throw new Error('a throwing listener does not break the call');
        },
      }),
    ).rejects.toThrow(RetryExhaustedError);
    expect(last).toHaveLength(1);
  });
});

describe('circuit breaker and fallback', () => {
  it('falls back on overload and says which model served', async () => {
    faults({ type: 'overloaded', count: 2 });
    const { client } = keel({
      resilience: {
        maxAttemptsPerModel: 2,
        fallbacks: {
          'claude-sonnet-4-6': ['claude-sonnet-5', 'claude-haiku-4-5-20251001'],
        },
      },
    });
    const result = await client.call(request);
    expect(result.modelRequested).toBe('claude-sonnet-4-6');
    expect(result.modelServed).toBe('claude-sonnet-5');
    expect(result.fallbackUsed).toBe(true);
    expect(result.message.model).toBe('claude-sonnet-5');
    expect(result.attempts.map((attempt) => [attempt.model, attempt.outcome])).toEqual([
      ['claude-sonnet-4-6', 'overloaded'],
      ['claude-sonnet-4-6', 'overloaded'],
      ['claude-sonnet-5', 'success'],
    ]);
    expect(served()).toHaveLength(3);
  });

  it('never falls back on 4xx', async () => {
    faults({ type: 'rate_limit', count: 10 });
    const { client } = keel({
      resilience: {
        maxRetries: 2,
        maxAttemptsPerModel: 1,
        fallbacks: { 'claude-sonnet-4-6': ['claude-haiku-4-5-20251001'] },
      },
    });
    const error = await client.call(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as RetryExhaustedError).details.models).toEqual(['claude-sonnet-4-6']);
    expect(served().map((entry) => entry.status)).toEqual([429, 429, 429]);
  });

  it('opens, refuses without sending, probes after the wait, and closes', async () => {
    const transitions: string[] = [];
    const { client } = keel({
      resilience: {
        maxRetries: 0,
        fallbacks: {},
        circuitBreaker: { minimumRequests: 3, failureRateThreshold: 0.5, openDurationMs: 30_000 },
      },
      onCircuitChange: (change) => transitions.push(`${change.from}->${change.to}`),
    });
    faults({ type: 'overloaded', count: 3 });
    for (let i = 0; i < 3; i++) {
      await expect(client.call(request)).rejects.toBeInstanceOf(RetryExhaustedError);
    }
    expect(client.circuitStates()['claude-sonnet-4-6']).toBe('open');
    const refused = await client.call(request).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect((refused as CircuitOpenError).details.models).toEqual(['claude-sonnet-4-6']);
    expect(served()).toHaveLength(3); // the refused call never left the process

    clock.advance(30_000);
    expect(client.circuitStates()['claude-sonnet-4-6']).toBe('half_open');
    const probe: CallResult = await client.call(request);
    expect(probe.modelServed).toBe('claude-sonnet-4-6');
    expect(client.circuitStates()['claude-sonnet-4-6']).toBe('closed');
    expect(transitions).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('a failed probe opens the circuit again', async () => {
    const { client } = keel({
      resilience: {
        maxRetries: 0,
        fallbacks: {},
        circuitBreaker: { minimumRequests: 1, openDurationMs: 1_000 },
      },
    });
    faults({ type: 'api_error', count: 2 });
    await expect(client.call(request)).rejects.toBeInstanceOf(RetryExhaustedError);
    expect(client.circuitStates()['claude-sonnet-4-6']).toBe('open');
    clock.advance(1_000);
    await expect(client.call(request)).rejects.toBeInstanceOf(RetryExhaustedError);
    expect(client.circuitStates()['claude-sonnet-4-6']).toBe('open');
  });

  it('takes the fallback when the first model circuit is open', async () => {
    const { client } = keel({
      resilience: {
        maxRetries: 0,
        fallbacks: { 'claude-opus-4-6': ['claude-haiku-4-5-20251001'] },
        circuitBreaker: { minimumRequests: 1 },
      },
    });
    faults({ type: 'overloaded', count: 1 });
    await expect(
      client.call({ ...request, model: 'claude-opus-4-6' }, { fallbacks: false }),
    ).rejects.toThrow();
    const result = await client.call({ ...request, model: 'claude-opus-4-6' });
    expect(result.modelServed).toBe('claude-haiku-4-5-20251001');
    expect(result.attempts[0]!.outcome).toBe('circuit_open');
  });
});

describe('rate limits and timeouts', () => {
  it('queues a burst under a small RPM: every call succeeds and no 429 is ever served', async () => {
    const limited = await startEmulator({ clock, rateLimits: { requestsPerMinute: 3 } });
    try {
      const { client } = keel({}, limited.url);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          client.call({ ...request, messages: [{ role: 'user', content: `burst ${index}` }] }),
        ),
      );
      expect(results.every((result) => result.retries === 0)).toBe(true);
      const statuses = limited.state.requestLog.list().map((entry) => entry.status);
      expect(statuses).toHaveLength(8);
      expect(statuses.every((status) => status === 200)).toBe(true);
      expect(results.at(-1)!.rateLimit?.requestsLimit).toBe(3);
    } finally {
      await limited.close();
    }
  });

  it('raises CallTimeoutError when the whole call runs out of time', async () => {
    faults({ type: 'slow_first_token', delayMs: 5_000 });
    const { client } = keel();
    const error = await client
      .call(request, { totalTimeoutMs: 100 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect((error as CallTimeoutError).details.timeoutMs).toBe(100);
  });

  it('retries an attempt that hits the per-attempt timeout', async () => {
    faults({ type: 'slow_first_token', delayMs: 5_000, count: 1 });
    const result = await keel().client.call(request, { timeoutMs: 100 });
    expect(result.retries).toBe(1);
    expect(result.attempts[0]!.outcome).toBe('timeout');
  });
});

import { Writable } from 'node:stream';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeel } from '../client/create-keel.ts';
import type { KeelClientOptions } from '../client/keel-client-options.ts';
import { createKeelLogger } from './call-logger.ts';

// Two keys: one shaped like an Anthropic key, one that no pattern would recognise.
const anthropicShapedKey = 'sk-ant-api03-KEEL-TEST-9f8e7d6c5b4a39281706';
const plainKey = 'plain-secret-7Q2wE9rT4yU1';

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

const request = {
  model: 'claude-haiku-4-5-20251001',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'Summarise our refund policy' }],
};

function client(
  apiKey: string,
  logger: KeelClientOptions['logger'],
  extra: Partial<KeelClientOptions> = {},
) {
  return createKeel({
    apiKey,
    baseURL: emulator.url,
    logger,
    resilience: { maxRetries: 1, fallbacks: {} },
    _internal: { sleep: async () => {}, random: () => 0 },
    ...extra,
  });
}

describe('the per-call log line', () => {
  it('is one JSON line with duration, tokens by bucket, cost, stop reason, models, request id, feature, retries', async () => {
    const { lines, stream } = capture();
    const keel = client(plainKey, pino(stream));
    const result = await keel.call(request, { tags: { feature: 'refunds', user: 'u-42' } });
    await keel.flush();
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      event: 'claude_call',
      status: 'success',
      outcome: 'complete',
      modelRequested: 'claude-haiku-4-5-20251001',
      modelServed: 'claude-haiku-4-5-20251001',
      requestId: result.requestId,
      feature: 'refunds',
      user: 'u-42',
      retries: 0,
      stopReason: 'end_turn',
      tokens: {
        input: result.usage.input,
        output: result.usage.output,
        cacheRead: 0,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
      },
    });
    expect(line.costUsd).toBe(result.cost.priced ? result.cost.usdText : 'x');
    expect(typeof line.durationMs).toBe('number');
    expect(line.content).toBeUndefined();
  });

  it('never contains the API key, on success, failure, interrupted stream, abort or with content logging on', async () => {
    for (const key of [anthropicShapedKey, plainKey]) {
      const { lines, stream } = capture();
      // A plain pino logger: the records themselves must be clean, not just the default logger.
      const keel = client(key, pino(stream), { logContent: true });
      // The user pastes the key into the conversation: content logging must scrub it.
      await keel.call({
        ...request,
        messages: [{ role: 'user', content: `my key is ${key}, email me at a.b@example.com` }],
      });
      emulator.state.faults.setRules([{ type: 'api_error' }]);
      await keel.call(request).catch(() => {});
      emulator.state.faults.setRules([{ type: 'stream_error', afterTokens: 3, count: 1 }]);
      await keel
        .stream({
          ...request,
          max_tokens: 500,
          messages: [{ role: 'user', content: `long ${key} `.repeat(20) }],
        })
        .result()
        .catch(() => {});
      emulator.state.faults.setRules([]);
      const controller = new AbortController();
      controller.abort();
      await keel.call(request, { signal: controller.signal }).catch(() => {});
      // Lines are written in batches after the calls: flush this client's before the next one's.
      await keel.flush();
      const locked = await startEmulator({ apiKeys: ['another-key'] });
      const lockedOut = createKeel({
        apiKey: key,
        baseURL: locked.url,
        logger: pino(stream),
        logContent: true,
      });
      await lockedOut.call(request).catch(() => {});
      await lockedOut.flush();
      await locked.close();
      const statuses = lines.map((line) => JSON.parse(line).status);
      expect(statuses).toEqual([
        'success',
        'retry_exhausted',
        'stream_interrupted',
        'call_aborted',
        'claude_client_error',
      ]);
      const output = lines.join('\n');
      expect(output).not.toContain(key);
      expect(output).not.toContain('a.b@example.com');
      expect(output).toContain('[REDACTED');
    }
  });

  it('the default logger also strips the key from any field, even one Keel did not write', async () => {
    const { lines, stream } = capture();
    const logger = createKeelLogger({ destination: stream, secrets: [plainKey] });
    logger.info({ surprise: `header x-api-key: ${plainKey}` }, 'hello');
    expect(lines.join('\n')).not.toContain(plainKey);
    expect(lines.join('\n')).toContain('[REDACTED]');
  });
});

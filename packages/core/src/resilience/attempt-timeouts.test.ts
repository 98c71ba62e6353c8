import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeel } from '../client/create-keel.ts';
import { attemptTimeoutMs } from './attempt-timeouts.ts';

describe('default attempt timeouts', () => {
  it('give a stream the idle limit and a non-streaming call room for its max_tokens', () => {
    expect(attemptTimeoutMs({ stream: true, maxTokens: 64_000, idleTimeoutMs: 60_000 })).toBe(
      60_000,
    );
    // 1,024 tokens at the SDK's expected hour per 128k tokens: 28.8 s on top of the idle limit.
    expect(attemptTimeoutMs({ stream: false, maxTokens: 1024, idleTimeoutMs: 60_000 })).toBe(
      88_800,
    );
    // Never more than the 10 minutes the SDK allows a non-streaming request.
    expect(attemptTimeoutMs({ stream: false, maxTokens: 20_000, idleTimeoutMs: 60_000 })).toBe(
      600_000,
    );
  });
});

describe('a silent stream (emulator over HTTP)', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('is stopped after the idle limit and retried as a timeout', async () => {
    const keel = createKeel({
      apiKey: 'k',
      baseURL: emulator.url,
      logger: false,
      resilience: { idleTimeoutMs: 300, backoff: { initialDelayMs: 1, maxDelayMs: 1 } },
    });
    // The first attempt goes quiet for 20 s before its first token; the retry answers at once.
    emulator.state.faults.setRules([{ type: 'slow_first_token', delayMs: 20_000, count: 1 }]);
    const retries: string[] = [];
    const result = await keel
      .stream(
        {
          model: 'claude-haiku-4-5-20251001',
          max_tokens: 50,
          messages: [{ role: 'user', content: 'Hello' }],
        },
        { onRetry: (retry) => retries.push(retry.reason) },
      )
      .result();
    expect(result.outcome).toBe('complete');
    expect(result.retries).toBe(1);
    expect(retries).toEqual(['timeout']);
  });
});

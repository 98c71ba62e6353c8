import { describe, expect, it } from 'vitest';
import { RateLimiter, readRateLimitHeaders } from './rate-limiter.ts';

function setup(options = {}) {
  let now = Date.parse('2026-03-01T12:00:00Z');
  const slept: number[] = [];
  const clock = { now: () => now };
  const limiter = new RateLimiter(options, clock, async (ms) => {
    slept.push(ms);
    now += ms;
  });
  return { limiter, slept, advance: (ms: number) => (now += ms), clock };
}

const noTokens = () => 0;

function headers(remaining: number, resetIso: string) {
  return new Headers({
    'anthropic-ratelimit-requests-limit': '10',
    'anthropic-ratelimit-requests-remaining': String(remaining),
    'anthropic-ratelimit-requests-reset': resetIso,
  });
}

describe('RateLimiter', () => {
  it('reads the anthropic-ratelimit-* headers', () => {
    const snapshot = readRateLimitHeaders(
      new Headers({
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '49',
        'anthropic-ratelimit-requests-reset': '2026-03-01T12:00:05Z',
        'anthropic-ratelimit-input-tokens-remaining': '29000',
        'anthropic-ratelimit-input-tokens-reset': '2026-03-01T12:00:01Z',
      }),
    );
    expect(snapshot).toEqual({
      requestsLimit: 50,
      requestsRemaining: 49,
      requestsResetAt: Date.parse('2026-03-01T12:00:05Z'),
      inputTokensRemaining: 29000,
      inputTokensResetAt: Date.parse('2026-03-01T12:00:01Z'),
    });
    expect(readRateLimitHeaders(new Headers())).toBeUndefined();
  });

  it('caps concurrency and serves waiters in order', async () => {
    const { limiter } = setup({ maxConcurrency: 2, learnBeforeBurst: false });
    const first = await limiter.acquire('m', noTokens);
    const second = await limiter.acquire('m', noTokens);
    const order: number[] = [];
    const third = Promise.resolve(limiter.acquire('m', noTokens)).then(
      (permit) => (order.push(3), permit),
    );
    const fourth = Promise.resolve(limiter.acquire('m', noTokens)).then(
      (permit) => (order.push(4), permit),
    );
    expect(limiter.queued).toBe(2);
    first.release();
    (await third).release();
    second.release();
    (await fourth).release();
    expect(order).toEqual([3, 4]);
    expect(limiter.inFlight).toBe(0);
  });

  it('sends one request of a new model alone until its response reports the limits', async () => {
    const { limiter } = setup();
    const first = await limiter.acquire('m', noTokens);
    let secondStarted = false;
    const second = Promise.resolve(limiter.acquire('m', noTokens)).then(
      (permit) => ((secondStarted = true), permit),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondStarted).toBe(false);
    limiter.observe('m', headers(5, '2026-03-01T12:01:00Z'));
    first.release();
    (await second).release();
    expect(secondStarted).toBe(true);
  });

  it('holds requests once the reported allowance is used up, until the reset time', async () => {
    const { limiter, slept } = setup();
    const first = await limiter.acquire('m', noTokens);
    limiter.observe('m', headers(1, '2026-03-01T12:00:30Z'));
    first.release();
    (await limiter.acquire('m', noTokens)).release(); // the last allowed request
    const third = await limiter.acquire('m', noTokens);
    expect(slept).toEqual([30_000]);
    third.release();
  });

  it('pauses a model for a 429 retry-after', async () => {
    const { limiter, slept } = setup({ learnBeforeBurst: false });
    limiter.pause('m', 2_500);
    (await limiter.acquire('m', noTokens)).release();
    expect(slept).toEqual([2_500]);
    (await limiter.acquire('other', noTokens)).release();
    expect(slept).toEqual([2_500]);
  });

  it('enforces a configured requests-per-minute budget as a token bucket', async () => {
    const { limiter, slept } = setup({ requestsPerMinute: 2, learnBeforeBurst: false });
    for (let i = 0; i < 3; i++) (await limiter.acquire('m', noTokens)).release();
    expect(slept).toEqual([30_000]);
  });

  it('waits for the input-token allowance when a request would not fit', async () => {
    const { limiter, slept } = setup();
    const first = await limiter.acquire('m', noTokens);
    limiter.observe(
      'm',
      new Headers({
        'anthropic-ratelimit-input-tokens-remaining': '1000',
        'anthropic-ratelimit-input-tokens-reset': '2026-03-01T12:00:10Z',
      }),
    );
    first.release();
    (await limiter.acquire('m', () => 500)).release();
    expect(slept).toEqual([]);
    (await limiter.acquire('m', () => 5_000)).release();
    expect(slept).toEqual([10_000]);
  });

  it('gives up waiting when the signal aborts', async () => {
    const { limiter } = setup({ maxConcurrency: 1, learnBeforeBurst: false });
    const held = await limiter.acquire('m', noTokens);
    const controller = new AbortController();
    const waiting = limiter.acquire('m', noTokens, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    held.release();
    expect(limiter.inFlight).toBe(0);
  });
});

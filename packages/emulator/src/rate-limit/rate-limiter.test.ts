import { describe, expect, it } from 'vitest';
import { AdjustableClock } from '../clock.ts';
import { ApiError } from '../http/api-error.ts';
import { RateLimiter } from './rate-limiter.ts';

const clockAt = (start: number) => new AdjustableClock(() => start);

function refusal(action: () => void): ApiError {
  try {
    action();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('RateLimiter', () => {
  it('refuses the request after the per-minute allowance, with retry-after', () => {
    const clock = clockAt(Date.UTC(2026, 2, 1));
    const limiter = new RateLimiter({ requestsPerMinute: 3 }, clock);
    for (let i = 0; i < 3; i++) limiter.admitRequest('key');
    const error = refusal(() => limiter.admitRequest('key'));
    expect(error.status).toBe(429);
    expect(error.type).toBe('rate_limit_error');
    // One request refills every 20 s.
    expect(error.headers['retry-after']).toBe('20');
    expect(error.headers['anthropic-ratelimit-requests-remaining']).toBe('0');
    clock.advance(20_000);
    limiter.admitRequest('key');
  });

  it('keeps separate buckets per key', () => {
    const limiter = new RateLimiter({ requestsPerMinute: 1 }, clockAt(0));
    limiter.admitRequest('a');
    limiter.admitRequest('b');
    expect(() => limiter.admitRequest('a')).toThrow(ApiError);
  });

  it('charges input tokens and refills them continuously', () => {
    const clock = clockAt(0);
    const limiter = new RateLimiter({ inputTokensPerMinute: 60_000 }, clock);
    limiter.chargeInput('k', 50_000);
    const error = refusal(() => limiter.chargeInput('k', 20_000));
    // 10k missing at 1k/s.
    expect(error.headers['retry-after']).toBe('10');
    clock.advance(10_000);
    limiter.chargeInput('k', 20_000);
  });

  it('lets an oversized request through only on a full bucket', () => {
    const clock = clockAt(0);
    const limiter = new RateLimiter({ inputTokensPerMinute: 1_000 }, clock);
    limiter.chargeInput('k', 5_000);
    expect(() => limiter.admitRequest('k')).toThrow(ApiError);
    clock.advance(4 * 60_000);
    expect(() => limiter.chargeInput('k', 5_000)).toThrow(ApiError);
    clock.advance(60_000);
    limiter.chargeInput('k', 5_000);
  });

  it('charges output after the fact and refuses the next request while in debt', () => {
    const clock = clockAt(0);
    const limiter = new RateLimiter({ outputTokensPerMinute: 600 }, clock);
    limiter.admitRequest('k');
    limiter.chargeOutput('k', 900);
    const error = refusal(() => limiter.admitRequest('k'));
    // 300 tokens of debt at 10 tokens/s.
    expect(Number(error.headers['retry-after'])).toBe(30);
  });

  it('reports the headers, tokens rounded to the nearest thousand, reset in RFC 3339', () => {
    const clock = clockAt(Date.UTC(2026, 2, 1, 12, 0, 0));
    const limiter = new RateLimiter({ requestsPerMinute: 50, inputTokensPerMinute: 30_000 }, clock);
    limiter.admitRequest('k');
    limiter.chargeInput('k', 1_400);
    const headers = limiter.headers('k');
    expect(headers).toMatchObject({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
      'anthropic-ratelimit-input-tokens-limit': '30000',
      'anthropic-ratelimit-input-tokens-remaining': '29000',
      'anthropic-ratelimit-input-tokens-reset': '2026-03-01T12:00:03Z',
      'anthropic-ratelimit-requests-reset': '2026-03-01T12:00:02Z',
    });
    // Unlimited output still reports a plausible configured limit.
    expect(Number(headers['anthropic-ratelimit-output-tokens-limit'])).toBeGreaterThan(0);
    expect(headers['anthropic-ratelimit-tokens-limit']).toBe('30000');
  });

  it('never refuses when unlimited, and configure() replaces the limits', () => {
    const limiter = new RateLimiter(undefined, clockAt(0));
    for (let i = 0; i < 10_000; i++) limiter.admitRequest('k');
    limiter.chargeInput('k', 10_000_000);
    // Unlimited buckets are reported full, so header-driven clients never throttle for nothing.
    const headers = limiter.headers('k');
    expect(headers['anthropic-ratelimit-requests-remaining']).toBe(
      headers['anthropic-ratelimit-requests-limit'],
    );
    expect(headers['anthropic-ratelimit-input-tokens-remaining']).toBe(
      headers['anthropic-ratelimit-input-tokens-limit'],
    );
    limiter.configure({ requestsPerMinute: 1 });
    limiter.admitRequest('k');
    expect(() => limiter.admitRequest('k')).toThrow(ApiError);
    limiter.reset();
    limiter.admitRequest('k');
  });
});

import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';
import { classifyFailure, retryAfterFromHeaders } from './classify-failure.ts';

const now = Date.parse('2026-03-01T12:00:00Z');

function apiError(status: number | undefined, type: string, headers: Record<string, string> = {}) {
  return APIError.generate(
    status,
    { type: 'error', error: { type, message: type } },
    undefined,
    new Headers(headers),
  );
}

describe('classifyFailure', () => {
  it.each([
    [408, 'request_timeout', true, false],
    [409, 'conflict', true, false],
    [429, 'rate_limited', true, false],
    [500, 'server_error', true, true],
    [502, 'server_error', true, true],
    [503, 'server_error', true, true],
    [504, 'server_error', true, true],
    [529, 'overloaded', true, true],
    [400, 'client_error', false, false],
    [401, 'client_error', false, false],
    [403, 'client_error', false, false],
    [404, 'client_error', false, false],
    [413, 'client_error', false, false],
  ])('status %i is %s (retry %s, fallback %s)', (status, kind, retryable, fallback) => {
    const failure = classifyFailure(apiError(status, 'x'), now);
    expect(failure).toMatchObject({ kind, retryable, fallbackEligible: fallback, status });
  });

  it('reads an error event inside a 200 stream by its type', () => {
    // What the SDK throws for an `error` SSE event: an APIError without a status.
    const streamError = (type: string) =>
      new APIError(
        undefined,
        { type: 'error', error: { type, message: type } },
        undefined,
        new Headers(),
        type as never,
      );
    expect(classifyFailure(streamError('overloaded_error'), now).kind).toBe('overloaded');
    expect(classifyFailure(streamError('api_error'), now).kind).toBe('server_error');
  });

  it('tells connection failures, timeouts and aborts apart', () => {
    expect(classifyFailure(new APIConnectionError({ message: 'x' }), now).kind).toBe('connection');
    expect(classifyFailure(new APIConnectionTimeoutError(), now).kind).toBe('timeout');
    expect(classifyFailure(new APIUserAbortError(), now)).toMatchObject({
      kind: 'aborted',
      retryable: false,
    });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyFailure(new TypeError('fetch failed', { cause: reset }), now).kind).toBe(
      'connection',
    );
    expect(classifyFailure(new RangeError('bug'), now)).toMatchObject({
      kind: 'unknown',
      retryable: false,
    });
  });

  it('honours x-should-retry', () => {
    expect(
      classifyFailure(apiError(500, 'api_error', { 'x-should-retry': 'false' }), now).retryable,
    ).toBe(false);
    expect(classifyFailure(apiError(400, 'x', { 'x-should-retry': 'true' }), now).retryable).toBe(
      true,
    );
  });
});

describe('retry-after', () => {
  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(
      retryAfterFromHeaders(new Headers({ 'retry-after-ms': '250.5', 'retry-after': '9' }), now),
    ).toBe(250.5);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(
      retryAfterFromHeaders(new Headers({ 'retry-after': 'Sun, 01 Mar 2026 12:00:03 GMT' }), now),
    ).toBe(3000);
    expect(retryAfterFromHeaders(new Headers(), now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap and removes at most the jitter fraction', () => {
    const options = { initialDelayMs: 500, maxDelayMs: 8_000, jitter: 0.25 };
    expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, options, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(backoffDelay(0, options, () => 0.999)).toBe(375);
  });
});

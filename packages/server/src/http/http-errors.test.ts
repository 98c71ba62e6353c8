import { BudgetExceededError, ClaudeApiError, type Failure, type FailureKind } from '@keel/core';
import { keelErrorCodes, KeelError } from '@keel/errors';
import { describe, expect, it } from 'vitest';
import { errorResponse, httpStatusOf, RequestError } from './http-errors.ts';

const upstreamBody =
  '529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSecret"}';

function claudeError(kind: FailureKind, status?: number): ClaudeApiError {
  const failure: Failure = {
    kind,
    status,
    errorType: undefined,
    requestId: 'req_011CSecret',
    retryable: false,
    fallbackEligible: false,
    breakerFailure: false,
    retryAfterMs: undefined,
    error: new Error(upstreamBody),
  };
  return new ClaudeApiError(failure, 'claude-sonnet-5-5');
}

describe('errorResponse', () => {
  it('answers a Claude failure with a gateway status, by kind', () => {
    // The map once listed `claude_api_error`, a code nothing raises: every one of these was a 500.
    expect(errorResponse(claudeError('overloaded', 529)).status).toBe(503);
    expect(errorResponse(claudeError('rate_limited', 429)).status).toBe(503);
    expect(errorResponse(claudeError('server_error', 500)).status).toBe(502);
    expect(errorResponse(claudeError('client_error', 400)).status).toBe(502);
    expect(errorResponse(claudeError('connection')).status).toBe(502);
    expect(errorResponse(claudeError('timeout')).status).toBe(504);
  });

  it("says a Claude failure in plain words, never Claude's reply, request id or model", () => {
    const { body } = errorResponse(claudeError('overloaded', 529));
    expect(body.error.code).toBe('claude_overloaded');
    expect(body.error.message).toMatch(/^The AI service is busy right now/);
    expect(JSON.stringify(body)).not.toMatch(/req_011CSecret|overloaded_error|claude-sonnet/);
  });

  it('passes on a message written for the requester, with its details and when to retry', () => {
    const limited = new KeelError('rate_limited', 'Too many requests: 2 per minute.', {
      limit: 2,
      retryAfterSeconds: 30,
    });
    expect(errorResponse(limited)).toEqual({
      status: 429,
      body: {
        error: {
          code: 'rate_limited',
          message: 'Too many requests: 2 per minute.',
          details: { limit: 2, retryAfterSeconds: 30 },
        },
      },
      retryAfterSeconds: 30,
    });
    const budget = new BudgetExceededError({
      limitId: 'session',
      scope: 'session',
      scopeKey: 's1',
      period: 'total',
      periodStart: 'total',
      unit: 'usd',
      limit: '0.30',
      spent: '0.29',
      reserved: '0',
      requested: '0.02',
    });
    expect(errorResponse(budget).status).toBe(402);
    expect(errorResponse(budget).body.error.details).toMatchObject({ scope: 'session' });
    expect(errorResponse(new RequestError('turn_in_progress', 'Busy')).body.error.message).toBe(
      'Busy',
    );
  });

  it('keeps internals in the log: storage paths, stacks and thrown non-errors', () => {
    const storage = new KeelError('storage_write_failed', 'A batch write to /srv/keel.db failed', {
      location: '/srv/keel.db',
    });
    const response = errorResponse(storage);
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('/srv/keel.db');
    expect(errorResponse(new TypeError('x is undefined')).body.error).toEqual({
      code: 'internal_error',
      message: expect.stringMatching(/^Something failed unexpectedly/),
    });
  });

  it('has an HTTP error status for every code', () => {
    for (const code of keelErrorCodes) {
      expect(httpStatusOf(code), code).toBeGreaterThanOrEqual(400);
      expect(httpStatusOf(code), code).toBeLessThan(600);
    }
  });
});

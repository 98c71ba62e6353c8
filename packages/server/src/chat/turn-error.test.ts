import {
  BudgetExceededError,
  CallTimeoutError,
  ClaudeApiError,
  ContextOverflowError,
  RetryExhaustedError,
  type Failure,
} from '@keel/core';
import { describe, expect, it } from 'vitest';
import { turnErrorCodes } from '@keel/errors';
import { describeTurnError, turnErrorFor } from './turn-error.ts';

const rawBody =
  '400 {"type":"error","error":{"type":"invalid_request_error","message":"messages.0.content.0.image.source.base64: The image was specified using the image/png media type, but the image appears to be a image/jpeg image"},"request_id":"req_011CSecret"}';

function apiError(status: number, errorType: string): ClaudeApiError {
  const failure: Failure = {
    kind: 'client_error',
    status,
    errorType,
    requestId: 'req_011CSecret',
    retryable: false,
    fallbackEligible: false,
    breakerFailure: false,
    retryAfterMs: undefined,
    error: new Error(rawBody),
  };
  return new ClaudeApiError(failure, 'claude-sonnet-5-5');
}

const exhausted = (
  lastFailure: 'overloaded' | 'connection' | 'client_error',
  lastStatus?: number,
) =>
  new RetryExhaustedError(
    {
      attempts: [],
      models: ['claude-sonnet-5-5'],
      lastFailure,
      lastStatus,
      lastRequestId: 'req_1',
    },
    new Error(rawBody),
  );

describe('describeTurnError', () => {
  it('turns an upstream 4xx into a plain refusal that stores the turn failed, without the raw body', () => {
    const refused = describeTurnError(apiError(400, 'invalid_request_error'));
    expect(refused).toMatchObject({ code: 'request_rejected', refused: true });
    // The SDK error's message carries the upstream JSON and request id; none of it is shown.
    expect(apiError(400, 'invalid_request_error').message).toContain('{"type":"error"');
    expect(refused.message).not.toMatch(/[{}]|req_|invalid_request_error|base64/);
    expect(describeTurnError(apiError(413, 'request_too_large'))).toMatchObject({
      code: 'request_too_large',
      refused: true,
    });
    expect(describeTurnError(apiError(401, 'authentication_error'))).toMatchObject({
      code: 'service_misconfigured',
      refused: true,
    });
    expect(describeTurnError(exhausted('client_error', 413))).toMatchObject({
      code: 'request_too_large',
      refused: true,
    });
    expect(describeTurnError(new ContextOverflowError(1000, 5000))).toMatchObject({
      code: 'message_too_long',
      refused: true,
    });
  });

  it('keeps transient failures retryable: the user message stays, the answer is incomplete', () => {
    expect(describeTurnError(exhausted('overloaded'))).toMatchObject({
      code: 'service_busy',
      refused: false,
    });
    expect(describeTurnError(exhausted('connection'))).toMatchObject({
      code: 'service_unavailable',
      refused: false,
    });
    expect(describeTurnError(new CallTimeoutError({ timeoutMs: 1000, attempts: 1 }))).toMatchObject(
      { code: 'answer_timeout', refused: false },
    );
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
    } as never);
    // A budget's own message was written for the person (browser-message.ts), as in the 402.
    expect(describeTurnError(budget)).toEqual({
      code: 'budget_exceeded',
      message: budget.message,
      refused: false,
    });
    expect(describeTurnError(new Error('ECONNRESET at socket.ts:12'))).toMatchObject({
      code: 'internal_error',
      refused: false,
    });
  });

  it('says what happened and what to do next for every code, in plain words', () => {
    for (const code of turnErrorCodes) {
      const { message } = turnErrorFor(code);
      expect(message, code).not.toMatch(/[{}<>]|_error|\bnull\b|undefined/);
      // Two sentences at least: what happened, then what to do.
      expect(message.split(/[.;] /).length, code).toBeGreaterThanOrEqual(2);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { claudeFailureKinds, turnErrorCodes } from '@keel/errors';
import { describeError, describeRetry } from './describe-error.ts';

const formatTime = (date: Date) => date.toISOString().slice(11, 19);
const nowMs = Date.parse('2026-03-01T10:00:00Z');

describe('describeError', () => {
  it('says when to retry after a rate limit, in seconds and as a clock time', () => {
    const text = describeError(
      {
        code: 'rate_limited',
        message: 'Too many requests',
        retryAfterSeconds: 42,
        details: { limit: 30 },
      },
      { nowMs, formatTime },
    );
    expect(text.kind).toBe('wait');
    expect(text.body).toBe(
      'You are sending messages faster than allowed (the limit is 30 a minute). Try again in 42 s, at 10:00:42.',
    );
  });

  it('names the budget that refused: scope, period, limit and spend', () => {
    const session = describeError({
      code: 'budget_exceeded',
      message: 'Budget exceeded',
      details: { scope: 'session', period: 'total', limit: '0.5', spent: '0.4991' },
    });
    expect(session.body).toBe(
      'The budget of this conversation is $0.5000. $0.4991 is already spent. Start a new conversation to go on.',
    );
    const daily = describeError({
      code: 'budget_exceeded',
      message: 'x',
      details: { scope: 'user', period: 'day', limit: '2', spent: '2.01' },
    });
    expect(daily.body).toBe(
      'The daily budget of your account is $2.00. $2.01 is already spent. It resets tomorrow.',
    );
  });

  it("falls back to the server's sentence when a budget error arrives without details", () => {
    expect(
      describeError({ code: 'budget_exceeded', message: 'Budget exceeded: user "u" day limit $2' })
        .body,
    ).toBe('Budget exceeded: user "u" day limit $2');
  });

  it('explains upstream overload and unknown codes plainly', () => {
    expect(describeError({ code: 'retry_exhausted', message: 'gave up after 3' }).title).toBe(
      'The model is overloaded',
    );
    expect(describeError({ code: 'weird', message: 'Odd thing' })).toEqual({
      kind: 'other',
      title: 'Something went wrong',
      body: 'Odd thing',
    });
  });
});

describe('describeError for Claude failures', () => {
  // The server sends `claude_<kind>`; this page once matched `claude_api_error`, which nothing
  // raised, so a Claude failure read "Something went wrong".
  it("says the model service failed, by kind, over the server's plain words", () => {
    const overloaded = describeError({ code: 'claude_overloaded', message: 'busy words' });
    expect(overloaded).toEqual({
      kind: 'upstream',
      title: 'The model is overloaded',
      body: 'The model service did not answer, even after retries. Try again in a minute.',
    });
    expect(describeError({ code: 'claude_rate_limited', message: '' })).toMatchObject({
      kind: 'upstream',
      title: 'The model is busy',
    });
    expect(describeError({ code: 'claude_connection', message: '' }).title).toBe(
      'The model is unreachable',
    );
    expect(describeError({ code: 'claude_timeout', message: '' }).title).toBe(
      'The model is too slow',
    );
    expect(
      describeError({
        code: 'claude_client_error',
        message: 'The AI service could not accept this message.',
      }),
    ).toEqual({
      kind: 'other',
      title: 'Not answered',
      body: 'The AI service could not accept this message.',
    });
  });

  it('gives every Claude failure kind, and every turn error code, words of its own', () => {
    for (const kind of claudeFailureKinds) {
      if (kind === 'unknown') continue;
      const words = describeError({ code: `claude_${kind}`, message: 'server words' });
      expect(words.title, kind).not.toBe('Something went wrong');
    }
    for (const code of turnErrorCodes) {
      if (code === 'internal_error') continue;
      expect(describeError({ code, message: 'server words' }).title, code).not.toBe(
        'Something went wrong',
      );
    }
  });
});

describe('describeRetry', () => {
  it('shows the attempt and the wait', () => {
    expect(describeRetry({ attempt: 2, delayMs: 1500, reason: 'overloaded' })).toBe(
      'The model is overloaded; retry 2 in 1.5 s',
    );
  });
});

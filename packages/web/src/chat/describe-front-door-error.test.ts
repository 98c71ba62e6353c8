import { describe, expect, it } from 'vitest';
import { describeFrontDoorError } from './describe-front-door-error.ts';

const options = {
  nowMs: Date.UTC(2026, 11, 6, 14, 0, 0),
  formatTime: (date: Date) => date.toISOString().slice(11, 19),
};

describe('describeFrontDoorError', () => {
  it('says registration is closed and whom to ask, without the server code', () => {
    const words = describeFrontDoorError({
      code: 'registration_closed',
      message: 'Registration is closed on this server; ask its operator for an account',
    });
    expect(words).toMatchObject({ title: 'Registration is closed' });
    expect(words?.body).toContain('Ask whoever runs it');
    expect(JSON.stringify(words)).not.toContain('registration_closed');
  });

  it('tells a missing invite code from one that was not accepted', () => {
    const missing = describeFrontDoorError({
      code: 'invite_required',
      message: 'Registration needs an invite code',
      details: { reason: 'missing' },
    });
    expect(missing).toMatchObject({ kind: 'auth', title: 'Invite code needed' });
    const invalid = describeFrontDoorError({
      code: 'invite_required',
      message: 'This invite code is not valid',
      details: { reason: 'invalid' },
    });
    expect(invalid).toMatchObject({ kind: 'auth', title: 'Invite code not valid' });
    expect(invalid?.body).toContain('ask an administrator for a new one');
  });

  it('says when registration may be tried again after the hourly cap (429 retry-after)', () => {
    const words = describeFrontDoorError(
      {
        code: 'registration_throttled',
        message: 'Too many new accounts from this address',
        retryAfterSeconds: 1800,
        details: { limit: 5, retryAfterSeconds: 1800 },
      },
      options,
    );
    expect(words).toMatchObject({ kind: 'wait', title: 'Too many new accounts' });
    expect(words?.body).toBe(
      'Too many accounts were created from your network in the last hour (5). Try again in 30 min (at 14:30:00), or sign in if you already have an account.',
    );
  });

  it('says a paused sign-in refuses the right password too, and for how long', () => {
    const words = describeFrontDoorError(
      { code: 'login_throttled', message: 'Too many failed sign-ins', retryAfterSeconds: 8 },
      options,
    );
    expect(words).toMatchObject({ kind: 'wait', title: 'Sign-in paused' });
    expect(words?.body).toContain('even with the right one. Try again in 8 s (at 14:00:08).');
    const untimed = describeFrontDoorError({ code: 'login_throttled', message: 'x' }, options);
    expect(untimed?.body).toContain('Try again in a few minutes.');
  });

  it('leaves every other code to describeError', () => {
    expect(describeFrontDoorError({ code: 'rate_limited', message: 'x' })).toBeUndefined();
    expect(describeFrontDoorError({ code: 'unauthenticated', message: 'x' })).toBeUndefined();
  });
});

import type { TurnError } from './chat-turn.ts';
import type { DescribeErrorOptions, ErrorDescription } from './describe-error.ts';

/** "45 s" or "12 min": how long a wait is, as a person reads it. */
function duration(seconds: number): string {
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

/** ", in 12 min (at 14:30:05)", or nothing when the server gave no time. */
function whenToRetry(error: TurnError, options: DescribeErrorOptions): string {
  const seconds = error.retryAfterSeconds ?? Number(error.details?.retryAfterSeconds);
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  const at = (options.formatTime ?? ((date: Date) => date.toLocaleTimeString()))(
    new Date((options.nowMs ?? Date.now()) + seconds * 1000),
  );
  return ` in ${duration(seconds)} (at ${at})`;
}

/**
 * The sign-in page's refusals in plain words with what to do next: registration closed, an
 * invite code missing or not valid, too many sign-in or registration attempts. Undefined for any
 * other code, which `describeError` words as everywhere else.
 */
export function describeFrontDoorError(
  error: TurnError,
  options: DescribeErrorOptions = {},
): ErrorDescription | undefined {
  switch (error.code) {
    case 'registration_closed':
      return {
        kind: 'other',
        title: 'Registration is closed',
        body: 'This assistant does not take new accounts. Ask whoever runs it to make one for you, or sign in if you have an account.',
      };
    case 'invite_required':
      return error.details?.reason === 'invalid'
        ? {
            kind: 'auth',
            title: 'Invite code not valid',
            body: 'This invite code was not accepted: it may be mistyped, already used or expired. Check it, or ask an administrator for a new one.',
          }
        : {
            kind: 'auth',
            title: 'Invite code needed',
            body: 'New accounts here need an invite code. Enter the code an administrator gave you.',
          };
    case 'registration_throttled': {
      const limit = typeof error.details?.limit === 'number' ? ` (${error.details.limit})` : '';
      const when = whenToRetry(error, options);
      return {
        kind: 'wait',
        title: 'Too many new accounts',
        body: `Too many accounts were created from your network in the last hour${limit}. Try again${when || ' in an hour'}, or sign in if you already have an account.`,
      };
    }
    case 'login_throttled': {
      const when = whenToRetry(error, options);
      return {
        kind: 'wait',
        title: 'Sign-in paused',
        body: `Sign-in is paused after several wrong passwords, even with the right one. Try again${when || ' in a few minutes'}.`,
      };
    }
    case 'account_exists':
      return {
        kind: 'auth',
        title: 'Account not created',
        body: 'An account could not be made with these details. If you already have one, sign in instead.',
      };
    default:
      return undefined;
  }
}

import type { TurnError } from './chat-turn.ts';

/** An error as a person should read it. */
export interface ErrorDescription {
  /** A short headline. */
  title: string;
  /** What happened and what to do, in a sentence or two. */
  body: string;
  /** `wait`: passes with time; `budget`: a spending cap; `upstream`: the model or the link failed. */
  kind: 'wait' | 'budget' | 'upstream' | 'auth' | 'other';
}

/** Options of {@link describeError}. */
export interface DescribeErrorOptions {
  /** Now, for "try again at". Default Date.now(). */
  nowMs?: number;
  /** Formats a clock time. Default the browser's locale, hours to seconds. */
  formatTime?: (date: Date) => string;
}

const usd = (value: unknown) => {
  const amount = Number(value);
  return Number.isFinite(amount) ? `$${amount.toFixed(amount < 1 ? 4 : 2)}` : String(value);
};

/** Turns the server's error codes into words: what happened, and when or how to go on. */
export function describeError(
  error: TurnError,
  options: DescribeErrorOptions = {},
): ErrorDescription {
  const details = error.details ?? {};
  switch (error.code) {
    case 'rate_limited': {
      const seconds = error.retryAfterSeconds ?? Number(details.retryAfterSeconds);
      const when = Number.isFinite(seconds) && seconds > 0;
      const at = when
        ? (options.formatTime ?? ((date) => date.toLocaleTimeString()))(
            new Date((options.nowMs ?? Date.now()) + seconds * 1000),
          )
        : '';
      const limit =
        typeof details.limit === 'number' ? ` (the limit is ${details.limit} a minute)` : '';
      return {
        kind: 'wait',
        title: 'Too many messages',
        body: when
          ? `You are sending messages faster than allowed${limit}. Try again in ${seconds} s, at ${at}.`
          : `You are sending messages faster than allowed${limit}. Wait a minute, then try again.`,
      };
    }
    case 'budget_exceeded': {
      if (typeof details.scope === 'string' && details.limit !== undefined) {
        const scope =
          details.scope === 'session'
            ? 'this conversation'
            : details.scope === 'user'
              ? 'your account'
              : details.scope === 'feature'
                ? 'this assistant'
                : 'everyone';
        const period =
          details.period === 'day'
            ? 'daily '
            : details.period === 'month'
              ? 'monthly '
              : details.period === 'total'
                ? ''
                : `${String(details.period)} `;
        const spent = details.spent !== undefined ? ` ${usd(details.spent)} is already spent.` : '';
        const next =
          details.scope === 'session'
            ? ' Start a new conversation to go on.'
            : details.period === 'day'
              ? ' It resets tomorrow.'
              : '';
        return {
          kind: 'budget',
          title: 'Budget reached',
          body: `The ${period}budget of ${scope} is ${usd(details.limit)}.${spent}${next}`,
        };
      }
      return { kind: 'budget', title: 'Budget reached', body: error.message };
    }
    case 'overloaded':
    case 'overloaded_error':
    case 'retry_exhausted':
    case 'circuit_open':
    case 'claude_api_error':
      return {
        kind: 'upstream',
        title:
          error.code === 'circuit_open' ? 'The model is unavailable' : 'The model is overloaded',
        body:
          error.code === 'circuit_open'
            ? 'Too many recent calls failed, so new ones are paused for a moment. Try again shortly.'
            : `The model service did not answer, even after retries. Try again in a minute. (${error.message})`,
      };
    case 'unauthenticated':
      return { kind: 'auth', title: 'Signed out', body: 'Your sign-in has ended. Sign in again.' };
    case 'turn_in_progress':
      return {
        kind: 'wait',
        title: 'Still answering',
        body: 'An answer is already being written in this conversation. Wait for it, or stop it.',
      };
    case 'turn_failed':
      // A stored turn the model service refused: the server kept its reason in plain words.
      return { kind: 'other', title: 'Not answered', body: error.message };
    case 'payload_too_large':
      return { kind: 'other', title: 'Too large', body: error.message };
    case 'server_shutdown':
      return {
        kind: 'upstream',
        title: 'Server restarting',
        body: 'The server is shutting down, so the answer was cut short. Try again in a moment.',
      };
    case 'network_error':
    case 'stream_ended':
      return { kind: 'upstream', title: 'Connection lost', body: error.message };
    default:
      return { kind: 'other', title: 'Something went wrong', body: error.message };
  }
}

/** A retry while answering, as a line: "The model is overloaded; retry 2 in 1.5 s". */
export function describeRetry(retry: { attempt: number; delayMs: number; reason: string }): string {
  const why =
    retry.reason === 'overloaded'
      ? 'The model is overloaded'
      : retry.reason === 'rate_limited'
        ? 'The model is rate limited'
        : retry.reason === 'server_error'
          ? 'The model service had an error'
          : retry.reason === 'connection_error'
            ? 'The connection to the model dropped'
            : `The model call failed (${retry.reason})`;
  return `${why}; retry ${retry.attempt} in ${(retry.delayMs / 1000).toFixed(1)} s`;
}

import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitTransition } from './circuit-breaker.ts';

function setup(options = {}) {
  let now = 1_000_000;
  const transitions: CircuitTransition[] = [];
  const clock = { now: () => now };
  const breaker = new CircuitBreaker(
    'claude-sonnet-4-6',
    {
      windowMs: 10_000,
      buckets: 10,
      minimumRequests: 4,
      failureRateThreshold: 0.5,
      openDurationMs: 5_000,
      ...options,
    },
    clock,
    (transition) => transitions.push(transition),
  );
  return { breaker, transitions, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('stays closed below the minimum number of requests, whatever the rate', () => {
    const { breaker } = setup();
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens at the failure-rate threshold and refuses until the wait is over', () => {
    const { breaker, advance } = setup();
    breaker.recordSuccess();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure(); // 2 of 4 = 50%
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    advance(4_999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.state).toBe('half_open');
  });

  it('lets exactly one probe through when half-open; success closes it', () => {
    const { breaker, advance, transitions } = setup({ minimumRequests: 1 });
    breaker.recordFailure();
    advance(5_000);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(transitions.map((t) => t.to)).toEqual(['open', 'half_open', 'closed']);
  });

  it('a failed probe opens it again for a full wait', () => {
    const { breaker, advance } = setup({ minimumRequests: 1 });
    breaker.recordFailure();
    advance(5_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    advance(4_000);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('a released probe (a 4xx says nothing about health) frees the slot', () => {
    const { breaker, advance } = setup({ minimumRequests: 1 });
    breaker.recordFailure();
    advance(5_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.release();
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('forgets failures that left the rolling window', () => {
    const { breaker, advance } = setup();
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordFailure();
    advance(11_000);
    breaker.recordSuccess();
    breaker.recordSuccess();
    breaker.recordSuccess();
    breaker.recordFailure(); // 1 of 4 in the window
    expect(breaker.state).toBe('closed');
  });
});

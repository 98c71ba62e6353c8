import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.ts';
import { SeededRandom } from '../seeded-random.ts';
import { parseFaultHeader } from './fault-header.ts';
import { FaultInjector, type FaultQuery } from './fault-injector.ts';

const gate: FaultQuery = { path: '/v1/messages', stage: 'gate', streaming: false };

describe('parseFaultHeader', () => {
  it('reads a type and its parameters', () => {
    expect(parseFaultHeader('rate_limit; retry_after=2')).toEqual({
      type: 'rate_limit',
      retryAfterSeconds: 2,
    });
    expect(parseFaultHeader('stream_error; after_tokens=5')).toEqual({
      type: 'stream_error',
      afterTokens: 5,
    });
    expect(parseFaultHeader(' slow_first_token ;delay_ms=300 ')).toEqual({
      type: 'slow_first_token',
      delayMs: 300,
    });
  });

  it('refuses unknown faults and parameters with a 400', () => {
    for (const value of ['explode', 'rate_limit; retry_after=soon', 'overloaded; colour=red']) {
      const error = (() => {
        try {
          parseFaultHeader(value);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error, value).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
    }
  });
});

describe('FaultInjector', () => {
  it('fires a counted rule that many times, then stops', () => {
    const faults = new FaultInjector([{ type: 'overloaded', count: 2 }], new SeededRandom(1));
    expect(faults.pick(gate)?.type).toBe('overloaded');
    expect(faults.rules()[0]?.count).toBe(1);
    expect(faults.pick(gate)?.type).toBe('overloaded');
    expect(faults.pick(gate)).toBeUndefined();
  });

  it('reproduces the same pattern for the same seed, and a rate near the target', () => {
    const pattern = (seed: number) => {
      const faults = new FaultInjector([{ type: 'api_error', rate: 0.3 }], new SeededRandom(seed));
      return Array.from({ length: 1000 }, () => (faults.pick(gate) ? 1 : 0)).join('');
    };
    expect(pattern(7)).toBe(pattern(7));
    expect(pattern(7)).not.toBe(pattern(8));
    const hits = [...pattern(7)].filter((c) => c === '1').length;
    expect(hits).toBeGreaterThan(240);
    expect(hits).toBeLessThan(360);
  });

  it('keeps stream faults for streaming requests and the response stage', () => {
    const faults = new FaultInjector([{ type: 'stream_cut', afterTokens: 4 }], new SeededRandom(1));
    expect(faults.pick(gate)).toBeUndefined();
    expect(faults.pick({ ...gate, stage: 'response' })).toBeUndefined();
    expect(faults.pick({ ...gate, stage: 'response', streaming: true })).toMatchObject({
      type: 'stream_cut',
      afterTokens: 4,
    });
  });

  it('matches the path prefix and never touches admin routes', () => {
    const faults = new FaultInjector(
      [{ type: 'api_error', path: '/v1/messages/count_tokens' }],
      new SeededRandom(1),
    );
    expect(faults.pick(gate)).toBeUndefined();
    expect(faults.pick({ ...gate, path: '/v1/messages/count_tokens' })?.type).toBe('api_error');
    expect(
      faults.pick({ ...gate, path: '/_emulator/faults', header: 'overloaded' }),
    ).toBeUndefined();
  });

  it('lets the request header override the rules', () => {
    const faults = new FaultInjector([{ type: 'api_error' }], new SeededRandom(1));
    expect(faults.pick({ ...gate, header: 'rate_limit; retry_after=3' })).toMatchObject({
      type: 'rate_limit',
      retryAfterSeconds: 3,
    });
    // A header naming a response-stage fault means "no gate fault", not "fall back to the rules".
    expect(faults.pick({ ...gate, header: 'slow_first_token; delay_ms=5' })).toBeUndefined();
  });

  it('lets the first matching requests through when told to skip them', () => {
    const faults = new FaultInjector(
      [{ type: 'stream_error', skip: 1, count: 1 }],
      new SeededRandom(1),
    );
    const response: FaultQuery = { ...gate, stage: 'response', streaming: true };
    // Requests the rule does not apply to do not use up the skip.
    expect(faults.pick(gate)).toBeUndefined();
    expect(faults.pick(response)).toBeUndefined();
    expect(faults.rules()).toEqual([{ type: 'stream_error', skip: 0, count: 1 }]);
    expect(faults.pick(response)?.type).toBe('stream_error');
    expect(faults.pick(response)).toBeUndefined();
  });

  it('replaces rules at run time', () => {
    const faults = new FaultInjector(undefined, new SeededRandom(1));
    expect(faults.pick(gate)).toBeUndefined();
    faults.setRules([{ type: 'connection_reset', count: 1 }]);
    expect(faults.pick(gate)?.type).toBe('connection_reset');
    expect(faults.rules()).toEqual([{ type: 'connection_reset', count: 0 }]);
  });
});

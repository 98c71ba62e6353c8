import { describe, expect, it } from 'vitest';
import { claudeFailureKinds } from './claude-failure-kind.ts';
import { isKeelErrorCode, keelErrorCodes, type KeelErrorCode } from './keel-error-code.ts';
import { KeelError, ValidationError } from './keel-error.ts';

describe('KeelErrorCode', () => {
  it('lists each code once, with one claude_<kind> per failure kind', () => {
    expect(new Set(keelErrorCodes).size).toBe(keelErrorCodes.length);
    for (const kind of claudeFailureKinds) expect(keelErrorCodes).toContain(`claude_${kind}`);
    for (const code of keelErrorCodes) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('tells codes read off the wire from strings it does not know', () => {
    expect(isKeelErrorCode('claude_overloaded')).toBe(true);
    expect(isKeelErrorCode('budget_exceeded')).toBe(true);
    // The code the server and the web UI once matched on, which nothing ever raised.
    expect(isKeelErrorCode('claude_api_error')).toBe(false);
    expect(isKeelErrorCode(undefined)).toBe(false);
  });

  it('is checked by the compiler wherever an error is raised or matched', () => {
    // @ts-expect-error: a misspelt or invented code does not compile.
    const invented = new KeelError('claude_api_error', 'x', {});
    // @ts-expect-error: nor does matching on one.
    KeelError.is(invented, 'claude_apierror');
    const code: 'validation_failed' = new ValidationError('body', ['x']).code;
    const any: KeelErrorCode = code;
    expect(any).toBe('validation_failed');
  });
});

import { describe, expect, it } from 'vitest';
import { redactSecrets, scrubPii } from './scrub-pii.ts';

describe('scrubPii', () => {
  it('removes emails, phone numbers, card numbers and API keys', () => {
    const text =
      'Mail jane.doe@example.com or call +1 415-555-0132; card 4242 4242 4242 4242; key sk-ant-api03-AbCdEfGh12345678_xyz';
    const scrubbed = scrubPii(text);
    expect(scrubbed).not.toContain('jane.doe@example.com');
    expect(scrubbed).not.toContain('555-0132');
    expect(scrubbed).not.toContain('4242 4242 4242 4242');
    expect(scrubbed).not.toContain('sk-ant-api03');
    expect(scrubbed).toContain('[REDACTED_EMAIL]');
    expect(scrubbed).toContain('[REDACTED_PHONE]');
    expect(scrubbed).toContain('[REDACTED_CARD]');
    expect(scrubbed).toContain('[REDACTED_API_KEY]');
  });

  it('leaves digit runs that fail the Luhn check as they are (order numbers)', () => {
    expect(scrubPii('order 1234567890123456 shipped')).toContain('1234567890123456');
  });

  it('keeps ordinary text untouched', () => {
    expect(scrubPii('The meeting is at 10:30 in room 4.')).toBe(
      'The meeting is at 10:30 in room 4.',
    );
  });
});

describe('redactSecrets', () => {
  it('removes every occurrence of each secret', () => {
    expect(redactSecrets('a my-key b my-key', ['my-key'])).toBe('a [REDACTED] b [REDACTED]');
  });
});

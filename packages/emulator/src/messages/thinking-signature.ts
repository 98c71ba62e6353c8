import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The key behind thinking signatures. Fixed, not per instance, so a conversation recorded against
 * one emulator run can be replayed against another; it only has to stop accidental or deliberate
 * edits of thinking text, as the real signature does.
 */
const signingKey = 'keel-emulator/thinking-signature/v1';

const version = 1;
const shown = 0;
const omitted = 1;

function mac(payload: Buffer): Buffer {
  return createHmac('sha256', signingKey).update(payload).digest();
}

/**
 * Signs a thinking block. The signature is a keyed hash of the thinking text; for `display:
 * "omitted"` (the text is withheld and returned empty) it vouches for a digest of the hidden text,
 * so the block can still be passed back and verified.
 */
export function signThinking(thinking: string, options: { omitted?: boolean } = {}): string {
  if (options.omitted) {
    const digest = createHash('sha256').update(thinking).digest();
    const payload = Buffer.concat([Buffer.from([version, omitted]), digest]);
    return Buffer.concat([payload, mac(payload)]).toString('base64');
  }
  const head = Buffer.from([version, shown]);
  return Buffer.concat([head, mac(Buffer.concat([head, Buffer.from(thinking, 'utf8')]))]).toString(
    'base64',
  );
}

/** Whether a thinking block passed back is exactly what the emulator issued. */
export function verifyThinkingSignature(thinking: string, signature: string): boolean {
  const data = Buffer.from(signature, 'base64');
  if (data.length < 2 || data[0] !== version) return false;
  let expected: Buffer;
  if (data[1] === omitted) {
    if (thinking !== '' || data.length !== 2 + 32 + 32) return false;
    expected = mac(data.subarray(0, 34));
    return timingSafeEqual(data.subarray(34), expected);
  }
  if (data[1] !== shown || data.length !== 2 + 32) return false;
  expected = mac(Buffer.concat([data.subarray(0, 2), Buffer.from(thinking, 'utf8')]));
  return timingSafeEqual(data.subarray(2), expected);
}

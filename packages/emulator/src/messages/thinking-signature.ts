import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The key behind thinking signatures. Fixed, not per instance, so a conversation recorded against
 * one emulator run can be replayed against another; it only has to stop accidental or deliberate
 * edits of thinking text, as the real signature does.
 */
const signingKey = 'keel-emulator/thinking-signature/v1';

const version = 1;
/** Signatures bound to the conversation before the block (models with preserved thinking). */
const boundVersion = 2;
const shown = 0;
const omitted = 1;
const digestLength = 32;

function mac(payload: Buffer): Buffer {
  return createHmac('sha256', signingKey).update(payload).digest();
}

/**
 * Signs a thinking block. The signature is a keyed hash of the thinking text; for `display:
 * "omitted"` (the text is withheld and returned empty) it vouches for a digest of the hidden text,
 * so the block can still be passed back and verified.
 */
export function signThinking(
  thinking: string,
  options: { omitted?: boolean; bound?: Buffer } = {},
): string {
  if (options.bound) {
    // Version 2: the digest of everything before the block rides in the signature, vouched for
    // together with the text (or, withheld, the text's digest); see thinking-binding.ts.
    const head = Buffer.from([boundVersion, options.omitted ? omitted : shown]);
    const body = options.omitted
      ? Buffer.concat([options.bound, createHash('sha256').update(thinking).digest()])
      : options.bound;
    const signed = Buffer.concat([head, body]);
    const text = options.omitted ? Buffer.alloc(0) : Buffer.from(thinking, 'utf8');
    return Buffer.concat([signed, mac(Buffer.concat([signed, text]))]).toString('base64');
  }
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

/** The prefix digest a bound (version 2) signature carries, or undefined for an unbound one. */
export function boundPrefixOf(signature: string): Buffer | undefined {
  const data = Buffer.from(signature, 'base64');
  if (data.length < 2 + digestLength || data[0] !== boundVersion) return undefined;
  return data.subarray(2, 2 + digestLength);
}

function verifyBound(thinking: string, data: Buffer): boolean {
  const withheld = data[1] === omitted;
  if (!withheld && data[1] !== shown) return false;
  const signedLength = 2 + digestLength * (withheld ? 2 : 1);
  if (data.length !== signedLength + digestLength) return false;
  if (withheld && thinking !== '') return false;
  const signed = data.subarray(0, signedLength);
  const text = withheld ? Buffer.alloc(0) : Buffer.from(thinking, 'utf8');
  return timingSafeEqual(data.subarray(signedLength), mac(Buffer.concat([signed, text])));
}

/** Whether a thinking block passed back is exactly what the emulator issued. */
export function verifyThinkingSignature(thinking: string, signature: string): boolean {
  const data = Buffer.from(signature, 'base64');
  if (data.length >= 2 && data[0] === boundVersion) return verifyBound(thinking, data);
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

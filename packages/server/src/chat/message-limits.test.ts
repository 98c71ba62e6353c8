import { describe, expect, it } from 'vitest';
import { sendMessageBody } from '../http/api-schemas.ts';
import { pngImage } from '../test-support/test-images.ts';
import {
  maxImageBase64Bytes,
  maxImagesPerMessage,
  maxMessageImageBytes,
  maxMessageTextLength,
  messageUploadMaxBytes,
} from './message-limits.ts';
import { validateImages } from './validate-images.ts';

/** A PNG whose base64 is exactly `base64Bytes` long (a multiple of 4). */
function pngOfBase64Length(base64Bytes: number): string {
  const data = pngImage(64, 64, (base64Bytes / 4) * 3).toString('base64');
  expect(data).toHaveLength(base64Bytes);
  return data;
}

/** The largest body the route accepts: every image at its limit, the widest-escaped longest text. */
function largestMessage(maxDecodedImageBytes: number): string {
  // The longest whole base64 (a multiple of 4) within both the API's and the deployment's limit.
  const size = Math.min(
    maxImageBase64Bytes({ maxDecodedImageBytes }),
    Math.floor(maxDecodedImageBytes / 3) * 4,
  );
  const body = {
    // A control character is written as six bytes (`\u0001`), the most JSON spends on one.
    text: '\u0001'.repeat(maxMessageTextLength),
    images: Array.from({ length: maxImagesPerMessage }, () => ({
      mediaType: 'image/png',
      data: pngOfBase64Length(size),
    })),
  };
  const parsed = sendMessageBody.parse(body);
  validateImages({ images: parsed.images, maxDecodedBytes: maxDecodedImageBytes });
  return JSON.stringify(body);
}

describe('the message upload cap, derived from what a message may carry', () => {
  it("is four images at the API's 5 MiB base64 limit plus the text: about 21.1 MB, not 27", () => {
    expect(maxImageBase64Bytes({ maxDecodedImageBytes: 5_000_000 })).toBe(5 * 1024 * 1024);
    const cap = messageUploadMaxBytes({ maxDecodedImageBytes: 5_000_000 });
    expect(cap).toBe(4 * 5 * 1024 * 1024 + 20_000 * 6 + 16 * 1024);
    expect(cap).toBeLessThan(21_200_000);
  });

  it('admits the largest valid message, with no more than the framing allowance to spare', () => {
    const body = Buffer.byteLength(largestMessage(5_000_000));
    const cap = messageUploadMaxBytes({ maxDecodedImageBytes: 5_000_000 });
    expect(body).toBeLessThanOrEqual(cap);
    expect(cap - body).toBeLessThan(16 * 1024);
  });

  it("follows a deployment's smaller image size (config images.maxBytes)", () => {
    const cap = messageUploadMaxBytes({ maxDecodedImageBytes: 1_000_000 });
    expect(maxImageBase64Bytes({ maxDecodedImageBytes: 1_000_000 })).toBe(1_333_336);
    expect(cap).toBe(4 * 1_333_336 + 20_000 * 6 + 16 * 1024);
    const body = Buffer.byteLength(largestMessage(1_000_000));
    expect(body).toBeLessThanOrEqual(cap);
    expect(cap - body).toBeLessThan(16 * 1024);
  });

  it("is held to the per-message image total when the API's request limit is the tighter one", () => {
    const limits = { maxRequestBytes: 20_000_000 };
    expect(maxMessageImageBytes(limits)).toBe(12_000_000);
    expect(messageUploadMaxBytes({ limits })).toBe(12_000_000 + 20_000 * 6 + 16 * 1024);
  });
});

import { defaultMediaLimits, type MediaLimits } from '@keel/core';

/**
 * What one chat message may carry, in one place: the route's schema, the image checks and the
 * upload's body cap are all derived from these, so the cap cannot drift from what is accepted.
 */

/** Images one message may carry (the web composer holds the same number). */
export const maxImagesPerMessage = 4;

/** The longest message text, in UTF-16 code units (what `string.length` and zod count). */
export const maxMessageTextLength = 20_000;

/** Room kept in the API's request for the system prompt, tools and the conversation's text. */
const requestRoomForText = 8_000_000;

// JSON writes a control character as `\u0001`: six bytes for one code unit, the most any takes.
const maxJsonBytesPerCodeUnit = 6;

// Keys, quotes, commas, the media types and a client's whitespace around them; a real message's
// framing is under 300 bytes.
const jsonFramingBytes = 16 * 1024;

/** Base64 length of `bytes` decoded bytes. */
function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** Base64 bytes all of one message's images may take together: the API's request limit less room. */
export function maxMessageImageBytes(limits: Partial<MediaLimits> = {}): number {
  const { maxRequestBytes } = { ...defaultMediaLimits, ...limits };
  return maxRequestBytes - requestRoomForText;
}

/** Options of {@link messageUploadMaxBytes}. */
export interface MessageUploadOptions {
  /** The deployment's own cap on an image's decoded size (config `images.maxBytes`). */
  maxDecodedImageBytes?: number;
  /** The API's limits; default core's {@link defaultMediaLimits}. */
  limits?: Partial<MediaLimits>;
}

/** The largest base64 string one image may be: the API's limit or the deployment's, if smaller. */
export function maxImageBase64Bytes(options: MessageUploadOptions = {}): number {
  const { maxImageBytes } = { ...defaultMediaLimits, ...options.limits };
  return options.maxDecodedImageBytes === undefined
    ? maxImageBytes
    : Math.min(maxImageBytes, base64Length(options.maxDecodedImageBytes));
}

/**
 * The body cap of the message upload: the largest message the route accepts (every image at its
 * limit, within the per-message total, and the longest text written with the widest JSON
 * escapes) plus the JSON framing. A body over it cannot be a valid message, so it is refused
 * while it is read instead of being held in memory first.
 */
export function messageUploadMaxBytes(options: MessageUploadOptions = {}): number {
  const images = Math.min(
    maxImagesPerMessage * maxImageBase64Bytes(options),
    maxMessageImageBytes(options.limits),
  );
  return images + maxMessageTextLength * maxJsonBytesPerCodeUnit + jsonFramingBytes;
}

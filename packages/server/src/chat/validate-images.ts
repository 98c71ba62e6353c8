import {
  defaultMediaLimits,
  detectMediaType,
  imageDimensions,
  type ImageMediaType,
  type MediaLimits,
} from '@keel/core';
import { KeelError } from '@keel/errors';
import { maxMessageImageBytes } from './message-limits.ts';

/** Why an attached image is refused. `payload_too_large` is a 413; the others are 400s. */
export type ImageRejectionCode =
  | 'payload_too_large'
  | 'image_type_mismatch'
  | 'image_unreadable'
  | 'image_dimensions_too_large'
  | 'too_many_images';

/** The facts of a refusal; `image` is the attachment's position from 1, as the user counts. */
export interface ImageRejectionDetails {
  image?: number;
  declared?: string;
  detected?: string;
  bytes?: number;
  limitBytes?: number;
  width?: number;
  height?: number;
  maxSide?: number;
  count?: number;
  limit?: number;
}

/** An attachment refused before anything was stored or sent, saying which one and what to do. */
export class ImageRejectedError extends KeelError<ImageRejectionDetails> {
  constructor(code: ImageRejectionCode, message: string, details: ImageRejectionDetails) {
    super(code, message, details);
  }
}

/** An attached image as the route received it. */
export interface AttachedImage {
  /** The declared type. */
  mediaType: ImageMediaType;
  /** Base64 without a data: prefix. */
  data: string;
}

/** Options of {@link validateImages}. */
export interface ValidateImagesOptions {
  images: readonly AttachedImage[];
  /** The deployment's own cap on an image's decoded size (config `images.maxBytes`). */
  maxDecodedBytes?: number;
  /**
   * Base64 bytes all of one message's images may take together. Default: the API's request limit
   * less 8 MB kept for the system prompt, tools and the conversation's text.
   */
  maxMessageImageBytes?: number;
  /** The API's limits (per image, per request); default core's {@link defaultMediaLimits}. */
  limits?: Partial<MediaLimits>;
}

const names: Record<ImageMediaType, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
};

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** Decodes only the start of the data, where the type and size are; all of it when needed. */
function readHeader(data: string): {
  type: ReturnType<typeof detectMediaType>;
  side?: [number, number];
} {
  for (const length of [256 * 1024, data.length]) {
    const bytes = Buffer.from(data.slice(0, length - (length % 4)), 'base64');
    const type = detectMediaType(bytes);
    if (!type || type === 'application/pdf') return { type };
    const dimensions = imageDimensions(bytes, type);
    if (dimensions) return { type, side: [dimensions.width, dimensions.height] };
    if (length >= data.length) return { type };
  }
  return { type: undefined };
}

/**
 * Checks a message's images with core's vision checks before anything is stored or sent: the
 * bytes must be the declared type (a JPEG labelled PNG is a 400 upstream on every later turn if it
 * is stored), each image within the API's size and side limits, the count within the request
 * limit, and all of them together well below the 32 MB request limit. Throws
 * {@link ImageRejectedError} naming the image; returns nothing when all are acceptable.
 */
export function validateImages(options: ValidateImagesOptions): void {
  const limits = { ...defaultMediaLimits, ...options.limits };
  const { images } = options;
  if (images.length > limits.maxImagesPerRequest) {
    throw new ImageRejectedError(
      'too_many_images',
      `${images.length} images were attached; at most ${limits.maxImagesPerRequest} can be sent at once. Send fewer images.`,
      { count: images.length, limit: limits.maxImagesPerRequest },
    );
  }
  const maxSide =
    images.length > limits.manyImagesThreshold ? limits.manyImagesMaxSide : limits.maxImageSide;
  let total = 0;
  for (const [index, image] of images.entries()) {
    const position = index + 1;
    const sent = image.data.length;
    const decoded = Math.floor((sent * 3) / 4);
    total += sent;
    const overApi = sent > limits.maxImageBytes;
    if (overApi || (options.maxDecodedBytes !== undefined && decoded > options.maxDecodedBytes)) {
      const [bytes, limitBytes] = overApi
        ? [sent, limits.maxImageBytes]
        : [decoded, options.maxDecodedBytes!];
      throw new ImageRejectedError(
        'payload_too_large',
        `Image ${position} is ${megabytes(bytes)}; the limit is ${megabytes(limitBytes)} per image. Send a smaller or more compressed image.`,
        { image: position, bytes, limitBytes },
      );
    }
    const header = readHeader(image.data);
    if (!header.type || header.type === 'application/pdf') {
      throw new ImageRejectedError(
        'image_unreadable',
        `Image ${position} is not a PNG, JPEG, GIF or WebP image (judged from its bytes). Attach a photo or screenshot in one of those formats.`,
        {
          image: position,
          declared: image.mediaType,
          ...(header.type ? { detected: header.type } : {}),
        },
      );
    }
    if (header.type !== image.mediaType) {
      throw new ImageRejectedError(
        'image_type_mismatch',
        `Image ${position} is labelled ${image.mediaType} but its bytes are a ${names[header.type]} image (${header.type}). Attach it again labelled ${header.type}, or re-save it as ${names[image.mediaType]}.`,
        { image: position, declared: image.mediaType, detected: header.type },
      );
    }
    if (!header.side) {
      throw new ImageRejectedError(
        'image_unreadable',
        `Image ${position} looks like a ${names[header.type]} image but its header is damaged or cut short. Save it again and attach the new file.`,
        { image: position, declared: image.mediaType, detected: header.type },
      );
    }
    const [width, height] = header.side;
    if (Math.max(width, height) > maxSide) {
      throw new ImageRejectedError(
        'image_dimensions_too_large',
        `Image ${position} is ${width}x${height} pixels; no side may exceed ${maxSide} pixels${maxSide < limits.maxImageSide ? ` when more than ${limits.manyImagesThreshold} images are sent` : ''}. Resize it and attach it again.`,
        { image: position, width, height, maxSide },
      );
    }
  }
  const maxTotal = options.maxMessageImageBytes ?? maxMessageImageBytes(limits);
  if (total > maxTotal) {
    throw new ImageRejectedError(
      'payload_too_large',
      `The ${images.length} images together are ${megabytes(total)}; one message can carry at most ${megabytes(maxTotal)} of images. Send fewer or smaller images.`,
      { count: images.length, bytes: total, limitBytes: maxTotal },
    );
  }
}

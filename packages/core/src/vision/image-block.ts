import type { ImageBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { detectMediaType, type ImageMediaType } from './detect-media-type.ts';
import { imageDimensions, type ImageDimensions } from './image-dimensions.ts';
import {
  ImageDimensionsError,
  MediaReadError,
  MediaTooLargeError,
  UnsupportedMediaTypeError,
} from './media-error.ts';
import { defaultMediaLimits, type MediaLimits } from './media-limits.ts';
import {
  base64Length,
  readMedia,
  toBase64,
  type MediaSource,
  type ReadMediaOptions,
} from './media-source.ts';

/** Options for {@link loadImage} and {@link imageBlock}. */
export interface ImageOptions extends ReadMediaOptions {
  /** Limits to check; default the API's. */
  limits?: Partial<MediaLimits>;
}

/** A checked image and what was learned from its bytes. */
export interface LoadedImage {
  /** The block to put in a user message. */
  block: ImageBlockParam;
  /** Where it came from, for messages. */
  source: string;
  /** Detected from the bytes; undefined for a URL the API fetches. */
  mediaType?: ImageMediaType;
  /** Read from the header; undefined for a URL the API fetches. */
  dimensions?: ImageDimensions;
  /** Size of the base64 data sent. */
  base64Bytes?: number;
}

const imageTypes: ImageMediaType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/**
 * Reads an image from a path, URL, buffer or base64, detects its type from its bytes, and checks
 * size and dimensions before anything is sent. A URL is passed through for the API to fetch unless
 * `download` is set.
 */
export async function loadImage(
  source: MediaSource,
  options: ImageOptions = {},
): Promise<LoadedImage> {
  const limits = { ...defaultMediaLimits, ...options.limits };
  const media = await readMedia(source, options);
  if (media.kind === 'url') {
    return {
      block: { type: 'image', source: { type: 'url', url: media.url } },
      source: media.label,
    };
  }
  const mediaType = detectMediaType(media.bytes);
  if (!mediaType || mediaType === 'application/pdf') {
    throw new UnsupportedMediaTypeError(media.label, imageTypes);
  }
  const size = base64Length(media.bytes.byteLength);
  if (size > limits.maxImageBytes) {
    throw new MediaTooLargeError(media.label, 'image', size, limits.maxImageBytes);
  }
  const dimensions = imageDimensions(media.bytes, mediaType);
  if (!dimensions)
    throw new MediaReadError(media.label, `corrupt or truncated ${mediaType} header`);
  if (Math.max(dimensions.width, dimensions.height) > limits.maxImageSide) {
    throw new ImageDimensionsError(
      media.label,
      dimensions.width,
      dimensions.height,
      limits.maxImageSide,
    );
  }
  return {
    block: {
      type: 'image',
      source: {
        type: 'base64',
        media_type: mediaType,
        data: toBase64(media.bytes),
      },
    },
    source: media.label,
    mediaType,
    dimensions,
    base64Bytes: size,
  };
}

/** An image block from a path, URL, buffer or base64, checked. */
export async function imageBlock(
  source: MediaSource,
  options: ImageOptions = {},
): Promise<ImageBlockParam> {
  return (await loadImage(source, options)).block;
}

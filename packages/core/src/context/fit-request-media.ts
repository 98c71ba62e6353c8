import type { ImageBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { detectMediaType } from '../vision/detect-media-type.ts';
import { imageDimensions } from '../vision/image-dimensions.ts';
import { defaultMediaLimits, type MediaLimits } from '../vision/media-limits.ts';
import type { ContentBlockParam, MessageParam } from '../call/conversation-shape.ts';

/** The text an image of the history is replaced with when the request cannot carry it. */
export const omittedImageText =
  "[An earlier image is not included: the request would exceed the API's size or image limits. Ask the user to attach it again if it is needed.]";

/** The text an image of the history is replaced with when the API would refuse it outright. */
export const unreadableImageText =
  '[An earlier image is not included: it is not an image the API accepts (its bytes do not match its type, or it is too large).]';

/** Options of {@link fitRequestMedia}. */
export interface FitRequestMediaOptions {
  /** The messages about to be sent; the last one (the new turn) keeps all its images. */
  messages: readonly MessageParam[];
  /** Bytes of the request besides these messages' image data: system, tools, pinned blocks, text. */
  otherBytes: number;
  /**
   * Bytes kept free for what is added after the context is built (tool results of the turn's
   * later calls, thinking, cache markers). Default 1 MiB.
   */
  reserveBytes?: number;
  /** The API's limits; default {@link defaultMediaLimits}. */
  limits?: Partial<MediaLimits>;
}

/** What {@link fitRequestMedia} returns. */
export interface FitRequestMediaResult {
  messages: MessageParam[];
  /** Images of older turns replaced by {@link omittedImageText} or {@link unreadableImageText}. */
  omittedImages: number;
}

/** What the start of an image's data says: its real type and its longest side. */
interface ImageFacts {
  /** Undefined when the bytes are no image type the API accepts. */
  mediaType: string | undefined;
  /** 0 when the header cannot be read. */
  side: number;
}

/** Reads only the start of the data where the size sits (a JPEG's frame header may follow EXIF). */
function imageFacts(data: string): ImageFacts {
  for (const length of [256 * 1024, data.length]) {
    const bytes = Buffer.from(data.slice(0, length - (length % 4)), 'base64');
    const mediaType = detectMediaType(bytes);
    if (!mediaType || mediaType === 'application/pdf') return { mediaType: undefined, side: 0 };
    const dimensions = imageDimensions(bytes, mediaType);
    if (dimensions) return { mediaType, side: Math.max(dimensions.width, dimensions.height) };
    if (length >= data.length) return { mediaType, side: 0 };
  }
  return { mediaType: undefined, side: 0 };
}

/**
 * Keeps a request within the API's limits on images however long the conversation: the newest
 * images are kept while the request's bytes, the image count and the many-images side limit
 * allow, and every older image is replaced by a short text in the request (storage keeps it).
 * Without this, two turns of large images push every later request past the 32 MB limit.
 */
export function fitRequestMedia(options: FitRequestMediaOptions): FitRequestMediaResult {
  const limits = { ...defaultMediaLimits, ...options.limits };
  const budget = limits.maxRequestBytes - options.otherBytes - (options.reserveBytes ?? 1 << 20);
  let bytes = 0;
  let count = 0;
  let widest = 0;
  let full = false;
  let omittedImages = 0;

  /**
   * Decides for one image, newest first: the block to send in its place, or the image itself.
   * Once one does not fit, no older one is sent. An image the API would refuse whatever the
   * request (stored before the server checked uploads: a JPEG labelled PNG, over 5 MiB) is never
   * sent again, so a conversation poisoned by an older version recovers.
   */
  const decide = (image: ImageBlockParam, forced: boolean): ContentBlockParam => {
    if (image.source.type !== 'base64' || forced) {
      return keep(image, forced) ? image : { type: 'text', text: omittedImageText };
    }
    const facts = imageFacts(image.source.data);
    if (
      facts.mediaType !== image.source.media_type ||
      image.source.data.length > limits.maxImageBytes ||
      facts.side > limits.maxImageSide
    ) {
      omittedImages += 1;
      return { type: 'text', text: unreadableImageText };
    }
    return keep(image, forced, facts.side) ? image : { type: 'text', text: omittedImageText };
  };

  const keep = (image: ImageBlockParam, forced: boolean, knownSide?: number): boolean => {
    const size = image.source.type === 'base64' ? image.source.data.length : 0;
    const side =
      knownSide ?? (image.source.type === 'base64' ? imageFacts(image.source.data).side : 0);
    const nextCount = count + 1;
    const nextWidest = Math.max(widest, side);
    const fits =
      bytes + size <= budget &&
      nextCount <= limits.maxImagesPerRequest &&
      (nextCount <= limits.manyImagesThreshold || nextWidest <= limits.manyImagesMaxSide);
    if (!forced && (full || !fits)) {
      full = true;
      omittedImages += 1;
      return false;
    }
    bytes += size;
    count = nextCount;
    widest = nextWidest;
    return true;
  };

  const visit = (blocks: readonly ContentBlockParam[], forced: boolean): ContentBlockParam[] => {
    const out: ContentBlockParam[] = [];
    for (let index = blocks.length - 1; index >= 0; index--) {
      const block = blocks[index]!;
      if (block.type === 'image') {
        out.unshift(decide(block, forced));
      } else if (block.type === 'tool_result' && Array.isArray(block.content)) {
        const content = visit(block.content as ContentBlockParam[], forced);
        out.unshift({ ...block, content: content as typeof block.content });
      } else {
        out.unshift(block);
      }
    }
    return out;
  };

  const messages: MessageParam[] = [];
  for (let index = options.messages.length - 1; index >= 0; index--) {
    const message = options.messages[index]!;
    if (typeof message.content === 'string') {
      messages.unshift(message);
      continue;
    }
    const forced = index === options.messages.length - 1;
    const content = visit(message.content as ContentBlockParam[], forced);
    const changed = content.some((block, at) => block !== message.content[at]);
    messages.unshift(changed ? ({ ...message, content } as MessageParam) : message);
  }
  return { messages, omittedImages };
}

/** The bytes of a request's JSON without its images' data (which {@link fitRequestMedia} counts). */
export function bytesWithoutImageData(value: unknown): number {
  const json = JSON.stringify(value, function (this: unknown, key, field: unknown) {
    const holder = this as { type?: unknown; media_type?: unknown };
    const imageData =
      key === 'data' &&
      holder.type === 'base64' &&
      typeof holder.media_type === 'string' &&
      holder.media_type.startsWith('image/');
    return imageData ? '' : field;
  });
  return Buffer.byteLength(json ?? '', 'utf8');
}

import type {
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
} from '@anthropic-ai/sdk/resources/messages';
import { loadImage, type ImageOptions } from './image-block.ts';
import { detectMediaType } from './detect-media-type.ts';
import { imageDimensions } from './image-dimensions.ts';
import { ImageDimensionsError, MediaTooLargeError, TooManyImagesError } from './media-error.ts';
import { defaultMediaLimits, type MediaLimits } from './media-limits.ts';
import type { MediaSource } from './media-source.ts';

/** Options for {@link imageContent}. */
export interface ImageContentOptions extends ImageOptions {
  /** The images, in order. */
  images: MediaSource[];
  /** The question or instruction, placed after the images. */
  text?: string;
  /** Put "Image 1:", "Image 2:" before each image, so the text can refer to them. Default: when there are several. */
  label?: boolean;
}

/** The content of one user message with several images and a question, all checked. */
export async function imageContent(options: ImageContentOptions): Promise<ContentBlockParam[]> {
  const limits = { ...defaultMediaLimits, ...options.limits };
  if (options.images.length > limits.maxImagesPerRequest) {
    throw new TooManyImagesError(options.images.length, limits.maxImagesPerRequest);
  }
  const loaded = await Promise.all(options.images.map((image) => loadImage(image, options)));
  checkManyImagesSide(
    loaded.map((image) => ({ source: image.source, dimensions: image.dimensions })),
    limits,
  );
  const label = options.label ?? loaded.length > 1;
  const content: ContentBlockParam[] = loaded.flatMap((image, index) =>
    label ? [{ type: 'text' as const, text: `Image ${index + 1}:` }, image.block] : [image.block],
  );
  if (options.text !== undefined) content.push({ type: 'text', text: options.text });
  return content;
}

function checkManyImagesSide(
  images: Array<{ source: string; dimensions: { width: number; height: number } | undefined }>,
  limits: MediaLimits,
): void {
  if (images.length <= limits.manyImagesThreshold) return;
  for (const { source, dimensions } of images) {
    if (dimensions && Math.max(dimensions.width, dimensions.height) > limits.manyImagesMaxSide) {
      throw new ImageDimensionsError(
        source,
        dimensions.width,
        dimensions.height,
        limits.manyImagesMaxSide,
      );
    }
  }
}

function imagesIn(blocks: ReadonlyArray<unknown>): ImageBlockParam[] {
  return blocks.flatMap((block) => {
    const typed = block as { type?: string; content?: unknown };
    if (typed.type === 'image') return [block as ImageBlockParam];
    if (typed.type === 'tool_result' && Array.isArray(typed.content))
      return imagesIn(typed.content);
    return [];
  });
}

/** What {@link checkRequestMedia} counted. */
export interface RequestMediaSummary {
  images: number;
  documents: number;
}

/**
 * Checks every image and document of a whole request (tool results included) against the limits:
 * the image count, the side limit that applies when a request carries many images, and sizes.
 */
export function checkRequestMedia(
  messages: readonly MessageParam[],
  limitsOverride: Partial<MediaLimits> = {},
): RequestMediaSummary {
  const limits = { ...defaultMediaLimits, ...limitsOverride };
  const blocks = messages.flatMap((message) =>
    typeof message.content === 'string' ? [] : message.content,
  );
  const images = imagesIn(blocks);
  if (images.length > limits.maxImagesPerRequest) {
    throw new TooManyImagesError(images.length, limits.maxImagesPerRequest);
  }
  const facts = images.map((image, index) => {
    const source = `image ${index + 1} of the request`;
    if (image.source.type !== 'base64') return { source, dimensions: undefined };
    if (image.source.data.length > limits.maxImageBytes) {
      throw new MediaTooLargeError(source, 'image', image.source.data.length, limits.maxImageBytes);
    }
    const bytes = Buffer.from(image.source.data, 'base64');
    const mediaType = detectMediaType(bytes);
    const dimensions =
      mediaType && mediaType !== 'application/pdf' ? imageDimensions(bytes, mediaType) : undefined;
    if (dimensions && Math.max(dimensions.width, dimensions.height) > limits.maxImageSide) {
      throw new ImageDimensionsError(
        source,
        dimensions.width,
        dimensions.height,
        limits.maxImageSide,
      );
    }
    return { source, dimensions };
  });
  checkManyImagesSide(facts, limits);
  let documents = 0;
  for (const block of blocks) {
    if (block.type !== 'document') continue;
    documents += 1;
    if (block.source.type === 'base64' && block.source.data.length > limits.maxDocumentBytes) {
      throw new MediaTooLargeError(
        `document ${documents} of the request`,
        'document',
        block.source.data.length,
        limits.maxDocumentBytes,
      );
    }
  }
  return { images: images.length, documents };
}

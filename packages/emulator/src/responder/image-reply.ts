import type { ContentBlockParam, ImageBlockParam } from '../messages/request-schema.ts';
import { imageDimensions } from './image-dimensions.ts';

/** The images of a turn, including those inside tool results. */
export function imagesOf(blocks: readonly ContentBlockParam[]): ImageBlockParam[] {
  return blocks.flatMap((block) => {
    if (block.type === 'image') return [block];
    if (block.type === 'tool_result' && Array.isArray(block.content)) {
      return block.content.filter((part): part is ImageBlockParam => part.type === 'image');
    }
    return [];
  });
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** One image described by type and size: "a PNG image, 640x480 pixels, 12 KB". */
export function describeImage(image: ImageBlockParam): string {
  const source = image.source;
  if (source.type === 'url') return `an image at ${source.url} (the emulator does not fetch URLs)`;
  if (source.type === 'file') return `an uploaded image file ${source.file_id}`;
  const info = imageDimensions(source.data);
  const format =
    info.format === 'unknown' ? source.media_type.replace('image/', '').toUpperCase() : info.format;
  const article = /^[AEIOU]/.test(format) ? 'an' : 'a';
  const size = info.width !== undefined ? `, ${info.width}x${info.height} pixels` : '';
  return `${article} ${format} image${size}, ${formatBytes(info.bytes)}`;
}

/** A sentence describing every attached image. */
export function describeImages(images: readonly ImageBlockParam[]): string {
  const descriptions = images.map(describeImage);
  if (descriptions.length === 1) return `I see ${descriptions[0]}.`;
  return `I see ${descriptions.length} images: ${descriptions.map((d, i) => `(${i + 1}) ${d}`).join('; ')}.`;
}

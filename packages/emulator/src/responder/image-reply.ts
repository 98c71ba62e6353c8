import type { ContentBlockParam, ImageBlockParam } from '../messages/request-schema.ts';
import { imageInfo } from '../messages/image-info.ts';
import { colorName, pngAverageColor } from './png-colors.ts';

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

const formatNames: Record<string, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
};

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** One image described by type and size: "a PNG image, 640x480 pixels, 12 KB". */
function describeImage(image: ImageBlockParam): string {
  const source = image.source;
  if (source.type === 'url') return `an image at ${source.url} (the emulator does not fetch URLs)`;
  if (source.type === 'file') return `an uploaded image file ${source.file_id}`;
  const info = imageInfo(source.data);
  const mediaType = info?.mediaType ?? source.media_type;
  const format = formatNames[mediaType] ?? mediaType.replace('image/', '').toUpperCase();
  const bytes = info?.bytes ?? Buffer.from(source.data, 'base64').length;
  const article = /^[AEIOU]/.test(format) ? 'an' : 'a';
  const size = info ? `, ${info.width}x${info.height} pixels` : '';
  const average = mediaType === 'image/png' ? pngAverageColor(source.data) : undefined;
  const color =
    average === 'transparent'
      ? ', fully transparent'
      : average
        ? `, mostly ${colorName(average)}`
        : '';
  return `${article} ${format} image${size}, ${formatBytes(bytes)}${color}`;
}

/** A sentence describing every attached image. */
export function describeImages(images: readonly ImageBlockParam[]): string {
  const descriptions = images.map(describeImage);
  if (descriptions.length === 1) return `I see ${descriptions[0]}.`;
  return `I see ${descriptions.length} images: ${descriptions.map((d, i) => `(${i + 1}) ${d}`).join('; ')}.`;
}

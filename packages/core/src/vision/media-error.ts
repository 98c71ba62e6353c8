import { KeelError } from '@keel/errors';

/** The root of image and document input errors, raised before anything is sent. */
export class MediaError<
  Details extends object = Record<string, unknown>,
> extends KeelError<Details> {}

/** The bytes are not an image type (or PDF) the API accepts. */
export class UnsupportedMediaTypeError extends MediaError<{ source: string; accepted: string[] }> {
  constructor(source: string, accepted: string[]) {
    super(
      'media_type_unsupported',
      `${source} is not ${accepted.join(', ')} (judged from its bytes)`,
      {
        source,
        accepted,
      },
    );
  }
}

/** An image or document larger than the API accepts. */
export class MediaTooLargeError extends MediaError<{
  source: string;
  kind: 'image' | 'document';
  bytes: number;
  limitBytes: number;
}> {
  constructor(source: string, kind: 'image' | 'document', bytes: number, limitBytes: number) {
    super(
      'media_too_large',
      `${source} is ${bytes} bytes as base64; the limit for a${kind === 'image' ? 'n image' : ' document'} is ${limitBytes}`,
      { source, kind, bytes, limitBytes },
    );
  }
}

/** An image whose width or height is beyond the allowed side. */
export class ImageDimensionsError extends MediaError<{
  source: string;
  width: number;
  height: number;
  maxSide: number;
}> {
  constructor(source: string, width: number, height: number, maxSide: number) {
    super(
      'image_dimensions_too_large',
      `${source} is ${width}x${height} px; no side may exceed ${maxSide} px`,
      { source, width, height, maxSide },
    );
  }
}

/** More images in one request than allowed. */
export class TooManyImagesError extends MediaError<{ count: number; limit: number }> {
  constructor(count: number, limit: number) {
    super('too_many_images', `${count} images in one request; the limit is ${limit}`, {
      count,
      limit,
    });
  }
}

/** Input that could not be read: a missing file, a failed download, corrupt headers. */
export class MediaReadError extends MediaError<{ source: string; reason: string }> {
  constructor(source: string, reason: string, options?: { cause?: unknown }) {
    super('media_unreadable', `Cannot read ${source}: ${reason}`, { source, reason }, options);
  }
}

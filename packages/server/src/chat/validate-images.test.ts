import { describe, expect, it } from 'vitest';
import { attachment, jpegImage, pngImage } from '../test-support/test-images.ts';
import { ImageRejectedError, validateImages, type AttachedImage } from './validate-images.ts';

function rejection(
  images: AttachedImage[],
  options: Parameters<typeof validateImages>[0] = { images },
) {
  try {
    validateImages({ ...options, images });
  } catch (error) {
    expect(error).toBeInstanceOf(ImageRejectedError);
    return error as ImageRejectedError;
  }
  throw new Error('expected the images to be refused');
}

describe('validateImages', () => {
  it('accepts images whose bytes are the declared type, within the limits', () => {
    expect(() =>
      validateImages({
        images: [
          attachment('image/png', pngImage(2, 2)),
          attachment('image/jpeg', jpegImage(640, 480)),
        ],
      }),
    ).not.toThrow();
  });

  it('refuses a JPEG labelled image/png, naming the image and the type its bytes are', () => {
    const error = rejection([
      attachment('image/png', pngImage(2, 2)),
      attachment('image/png', jpegImage(640, 480)),
    ]);
    expect(error.code).toBe('image_type_mismatch');
    expect(error.details).toEqual({ image: 2, declared: 'image/png', detected: 'image/jpeg' });
    expect(error.message).toBe(
      'Image 2 is labelled image/png but its bytes are a JPEG image (image/jpeg). Attach it again labelled image/jpeg, or re-save it as PNG.',
    );
  });

  it('refuses bytes that are no image, and an image whose header is cut short', () => {
    const text = rejection([
      { mediaType: 'image/png', data: Buffer.from('hello world').toString('base64') },
    ]);
    expect(text.code).toBe('image_unreadable');
    expect(text.message).toMatch(/^Image 1 is not a PNG, JPEG, GIF or WebP image/);
    const cut = rejection([
      { mediaType: 'image/png', data: pngImage(2, 2).subarray(0, 16).toString('base64') },
    ]);
    expect(cut.code).toBe('image_unreadable');
    expect(cut.message).toMatch(/header is damaged or cut short/);
  });

  it('refuses an image over 5 MiB as sent (base64, as the API counts) or over the configured size', () => {
    // 4.9 MB of bytes is 6.5 MB of base64: over the API's 5,242,880 bytes.
    const photo = attachment('image/jpeg', jpegImage(1000, 800, 4_900_000));
    const error = rejection([photo]);
    expect(error.code).toBe('payload_too_large');
    expect(error.details).toMatchObject({ image: 1, limitBytes: 5 * 1024 * 1024 });
    expect(error.message).toMatch(/^Image 1 is 6\.5 MB; the limit is 5\.2 MB per image\./);
    const small = attachment('image/jpeg', jpegImage(1000, 800, 3_000_000));
    expect(() => validateImages({ images: [small] })).not.toThrow();
    const configured = rejection([small], { images: [], maxDecodedBytes: 2_000_000 });
    expect(configured.details).toMatchObject({ image: 1, bytes: 3_000_000, limitBytes: 2_000_000 });
  });

  it('refuses sides over 8000 px, and over 2000 px when more than 20 images are sent', () => {
    const wide = rejection([attachment('image/png', pngImage(8001, 1))]);
    expect(wide.code).toBe('image_dimensions_too_large');
    expect(wide.details).toEqual({ image: 1, width: 8001, height: 1, maxSide: 8000 });
    const many = [...Array.from({ length: 20 }, () => attachment('image/png', pngImage(2, 2)))];
    many.push(attachment('image/png', pngImage(2001, 1)));
    expect(rejection(many).details).toMatchObject({ image: 21, maxSide: 2000 });
    expect(() => validateImages({ images: many.slice(1) })).not.toThrow();
  });

  it('refuses more images than a request may carry, and too many bytes in one message', () => {
    const tiny = attachment('image/png', pngImage(1, 1));
    const count = rejection(Array.from({ length: 101 }, () => tiny));
    expect(count.code).toBe('too_many_images');
    expect(count.details).toEqual({ count: 101, limit: 100 });
    const three = Array.from({ length: 3 }, () =>
      attachment('image/jpeg', jpegImage(10, 10, 3_000_000)),
    );
    const total = rejection(three, { images: [], maxMessageImageBytes: 10_000_000 });
    expect(total.code).toBe('payload_too_large');
    expect(total.details).toMatchObject({ count: 3, limitBytes: 10_000_000 });
    expect(total.details.bytes).toBeGreaterThan(10_000_000);
    expect(() => validateImages({ images: three })).not.toThrow();
  });
});

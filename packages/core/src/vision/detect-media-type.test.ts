import { describe, expect, it } from 'vitest';
import {
  gifHeader,
  jpegHeader,
  pdfBytes,
  pngBytes,
  webpHeader,
  webpLosslessHeader,
} from './__fixtures__/make-images.ts';
import { detectMediaType } from './detect-media-type.ts';
import { imageDimensions } from './image-dimensions.ts';

describe('detectMediaType and imageDimensions', () => {
  it('recognizes each format by its magic numbers and reads its size from the header', () => {
    expect(detectMediaType(pngBytes(3, 2))).toBe('image/png');
    expect(imageDimensions(pngBytes(3, 2), 'image/png')).toEqual({ width: 3, height: 2 });
    expect(detectMediaType(jpegHeader(640, 480))).toBe('image/jpeg');
    expect(imageDimensions(jpegHeader(640, 480), 'image/jpeg')).toEqual({
      width: 640,
      height: 480,
    });
    expect(detectMediaType(gifHeader(10, 20))).toBe('image/gif');
    expect(imageDimensions(gifHeader(10, 20), 'image/gif')).toEqual({ width: 10, height: 20 });
    expect(detectMediaType(webpHeader(1920, 1080))).toBe('image/webp');
    expect(imageDimensions(webpHeader(1920, 1080), 'image/webp')).toEqual({
      width: 1920,
      height: 1080,
    });
    expect(imageDimensions(webpLosslessHeader(300, 7), 'image/webp')).toEqual({
      width: 300,
      height: 7,
    });
    expect(detectMediaType(pdfBytes())).toBe('application/pdf');
  });

  it('returns undefined for other bytes and truncated headers', () => {
    expect(detectMediaType(Buffer.from('hello, not an image'))).toBeUndefined();
    expect(detectMediaType(new Uint8Array())).toBeUndefined();
    expect(imageDimensions(pngBytes(3, 2).subarray(0, 20), 'image/png')).toBeUndefined();
    expect(imageDimensions(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg')).toBeUndefined();
  });
});

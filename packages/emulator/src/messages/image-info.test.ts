import { describe, expect, it } from 'vitest';
import { imageInfo, imageTokens } from './image-info.ts';
import { testImages } from './test-images.ts';

describe('imageInfo', () => {
  it('reads the format and size of each supported format', () => {
    expect(imageInfo(testImages.png(640, 480))).toMatchObject({
      mediaType: 'image/png',
      width: 640,
      height: 480,
    });
    expect(imageInfo(testImages.jpeg(1024, 768))).toMatchObject({
      mediaType: 'image/jpeg',
      width: 1024,
      height: 768,
    });
    expect(imageInfo(testImages.gif(32, 16))).toMatchObject({
      mediaType: 'image/gif',
      width: 32,
      height: 16,
    });
    expect(imageInfo(testImages.webp(3000, 2000))).toMatchObject({
      mediaType: 'image/webp',
      width: 3000,
      height: 2000,
    });
  });

  it('reports the decoded byte size', () => {
    const base64 = testImages.gif(1, 1);
    expect(imageInfo(base64)?.bytes).toBe(Buffer.from(base64, 'base64').length);
  });

  it('returns undefined for text, truncated headers and empty data', () => {
    expect(imageInfo(Buffer.from('hello, not an image').toString('base64'))).toBeUndefined();
    expect(imageInfo(testImages.png(10, 10).slice(0, 12))).toBeUndefined();
    expect(imageInfo('')).toBeUndefined();
    expect(imageInfo('%%%not base64%%%')).toBeUndefined();
  });
});

describe('imageTokens', () => {
  it('is about width × height / 750 for images the API does not scale', () => {
    expect(imageTokens(750, 100)).toBe(100);
    expect(imageTokens(1000, 1000)).toBe(1334);
  });

  it('scales large images down first, as the API does', () => {
    expect(imageTokens(4000, 3000)).toBeLessThanOrEqual(1_600);
    expect(imageTokens(4000, 3000)).toBeGreaterThan(1_400);
  });
});

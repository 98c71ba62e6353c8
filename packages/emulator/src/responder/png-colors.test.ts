import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { testImages } from '../messages/test-images.ts';
import { colorName, pngAverageColor } from './png-colors.ts';

/** An RGB PNG of one colour, its rows written with the Sub and Paeth filters. */
function solidPng(width: number, height: number, rgb: [number, number, number]): string {
  const chunk = (type: string, body: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    const filter = y === 0 ? 1 : 4;
    rows.push(filter);
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        // Sub on the first row: each byte minus the one to its left; Paeth below: zero change.
        if (filter === 1) rows.push(x === 0 ? rgb[c]! : 0);
        else rows.push(0);
      }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]).toString('base64');
}

describe('PNG colours', () => {
  it('averages the pixels through the row filters', () => {
    expect(pngAverageColor(testImages.png(3, 2))).toEqual([0, 0, 0]);
    expect(pngAverageColor(solidPng(4, 3, [200, 30, 40]))).toEqual([200, 30, 40]);
    // LangChain's standard-suite "1x1 black PNG" is grey+alpha with alpha 0.
    const langChainPixel =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
    expect(pngAverageColor(langChainPixel)).toBe('transparent');
  });

  it('names colours plainly', () => {
    expect(colorName([0, 0, 0])).toBe('black');
    expect(colorName([250, 250, 250])).toBe('white');
    expect(colorName([200, 30, 40])).toBe('red');
    expect(colorName([20, 40, 200])).toBe('blue');
    expect(colorName([30, 160, 60])).toBe('green');
  });

  it('gives up on what it cannot read cheaply rather than guess', () => {
    expect(pngAverageColor(testImages.gif(2, 2))).toBeUndefined();
    expect(pngAverageColor('not an image')).toBeUndefined();
  });
});

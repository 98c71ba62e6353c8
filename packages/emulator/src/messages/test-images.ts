import { deflateSync } from 'node:zlib';

/**
 * Tiny but structurally valid images of each supported format, built in memory, for tests that
 * send images (no fixture files, no image library). Each returns base64.
 */
export const testImages = {
  /** A real, decodable PNG of the given size (black pixels). */
  png(width: number, height: number): string {
    const crcTable = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    const crc = (bytes: Buffer) => {
      let c = 0xffffffff;
      for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
      return (c ^ 0xffffffff) >>> 0;
    };
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(data.length);
      const check = Buffer.alloc(4);
      check.writeUInt32BE(crc(body));
      return Buffer.concat([length, body, check]);
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
    const rows = Buffer.alloc((width + 1) * height);
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(rows)),
      chunk('IEND', Buffer.alloc(0)),
    ]).toString('base64');
  },

  /** A GIF header and logical screen descriptor. */
  gif(width: number, height: number): string {
    const data = Buffer.alloc(13);
    data.write('GIF89a', 0, 'latin1');
    data.writeUInt16LE(width, 6);
    data.writeUInt16LE(height, 8);
    return data.toString('base64');
  },

  /** A JPEG start, an APP0 segment, then a baseline frame header carrying the size. */
  jpeg(width: number, height: number): string {
    const app0 = Buffer.from([
      0xff,
      0xe0,
      0x00,
      0x10,
      ...Buffer.from('JFIF\0', 'latin1'),
      1,
      1,
      0,
      0,
      1,
      0,
      1,
      0,
      0,
    ]);
    const frame = Buffer.alloc(19);
    frame.set([0xff, 0xc0, 0x00, 0x11, 0x08]);
    frame.writeUInt16BE(height, 5);
    frame.writeUInt16BE(width, 7);
    frame.set([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1], 9);
    return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, frame]).toString('base64');
  },

  /** A WebP container with an extended (VP8X) header. */
  webp(width: number, height: number): string {
    const data = Buffer.alloc(30);
    data.write('RIFF', 0, 'latin1');
    data.writeUInt32LE(22, 4);
    data.write('WEBPVP8X', 8, 'latin1');
    data.writeUInt32LE(10, 16);
    data.writeUIntLE(width - 1, 24, 3);
    data.writeUIntLE(height - 1, 27, 3);
    return data.toString('base64');
  },
};

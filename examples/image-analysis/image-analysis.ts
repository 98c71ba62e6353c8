import { deflateSync } from 'node:zlib';
import { imageBlock, type KeelClient, type MediaSource } from '@keel/core';
import { connect, isMain } from '../shared/connect.ts';

/** Describes one image (a path, URL, bytes or base64; media type read from the bytes). */
export async function describeImage(keel: KeelClient, image: MediaSource): Promise<string> {
  const result = await keel.call(
    {
      model: 'claude-sonnet-5-5',
      max_tokens: 1024,
      messages: [
        {
          role: 'user',
          content: [await imageBlock(image), { type: 'text', text: 'Describe this image.' }],
        },
      ],
    },
    { tags: { feature: 'vision' } },
  );
  return result.text;
}

/** Compares two images in one message, each introduced by a label so the answer can refer to it. */
export async function compareImages(
  keel: KeelClient,
  first: MediaSource,
  second: MediaSource,
): Promise<string> {
  const result = await keel.call(
    {
      model: 'claude-sonnet-5-5',
      max_tokens: 1024,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Image 1:' },
            await imageBlock(first),
            { type: 'text', text: 'Image 2:' },
            await imageBlock(second),
            { type: 'text', text: 'How do these two images differ?' },
          ],
        },
      ],
    },
    { tags: { feature: 'vision' } },
  );
  return result.text;
}

/** A solid-colour PNG, so the example needs no image files. */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill(rgb).flat())]);
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array(height).fill(row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

if (isMain(import.meta.url)) {
  const connection = await connect();
  try {
    const red = { buffer: solidPng(64, 32, [220, 30, 30]) };
    const blue = { buffer: solidPng(16, 16, [30, 30, 220]) };
    console.log(await describeImage(connection.keel, red));
    console.log(await compareImages(connection.keel, red, blue));
  } finally {
    await connection.close();
  }
}

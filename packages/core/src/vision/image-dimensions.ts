import type { ImageMediaType } from './detect-media-type.ts';

/** Width and height in pixels. */
export interface ImageDimensions {
  width: number;
  height: number;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** JPEG start-of-frame markers, which carry the dimensions. */
const startOfFrame = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);

function jpegDimensions(bytes: Uint8Array, data: DataView): ImageDimensions | undefined {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (startOfFrame.has(marker)) {
      return { height: data.getUint16(offset + 5), width: data.getUint16(offset + 7) };
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      offset += 2; // markers without a length
      continue;
    }
    offset += 2 + data.getUint16(offset + 2);
  }
  return undefined;
}

function webpDimensions(bytes: Uint8Array, data: DataView): ImageDimensions | undefined {
  if (bytes.length < 30) return undefined;
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === 'VP8 ') {
    return { width: data.getUint16(26, true) & 0x3fff, height: data.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    const bits = data.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const read24 = (at: number) => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
    return { width: read24(24) + 1, height: read24(27) + 1 };
  }
  return undefined;
}

/** Reads the dimensions from the image header. Undefined when the header is truncated or corrupt. */
export function imageDimensions(
  bytes: Uint8Array,
  mediaType: ImageMediaType,
): ImageDimensions | undefined {
  const data = view(bytes);
  switch (mediaType) {
    case 'image/png':
      return bytes.length >= 24
        ? { width: data.getUint32(16), height: data.getUint32(20) }
        : undefined;
    case 'image/gif':
      return bytes.length >= 10
        ? { width: data.getUint16(6, true), height: data.getUint16(8, true) }
        : undefined;
    case 'image/jpeg':
      return jpegDimensions(bytes, data);
    case 'image/webp':
      return webpDimensions(bytes, data);
  }
}

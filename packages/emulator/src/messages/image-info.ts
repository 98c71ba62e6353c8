/** What the emulator reads from an image's bytes. */
export interface ImageInfo {
  /** The format the bytes actually are, whatever the request claimed. */
  mediaType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  /** Pixel width from the image header. */
  width: number;
  /** Pixel height from the image header. */
  height: number;
  /** Decoded size in bytes. */
  bytes: number;
}

function pngInfo(data: Buffer): Omit<ImageInfo, 'bytes'> | undefined {
  // Signature, then the IHDR chunk: length(4) "IHDR"(4) width(4) height(4).
  if (
    data.length < 24 ||
    data.readUInt32BE(0) !== 0x89504e47 ||
    data.toString('latin1', 12, 16) !== 'IHDR'
  )
    return undefined;
  return { mediaType: 'image/png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

function gifInfo(data: Buffer): Omit<ImageInfo, 'bytes'> | undefined {
  const magic = data.toString('latin1', 0, 6);
  if (data.length < 10 || (magic !== 'GIF87a' && magic !== 'GIF89a')) return undefined;
  return { mediaType: 'image/gif', width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
}

function jpegInfo(data: Buffer): Omit<ImageInfo, 'bytes'> | undefined {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  // Walk the marker segments to the first start-of-frame (SOF0..SOF15 minus DHT/JPG/DAC).
  let offset = 2;
  while (offset + 4 <= data.length) {
    if (data[offset] !== 0xff) return undefined;
    const marker = data[offset + 1]!;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    const length = data.readUInt16BE(offset + 2);
    if (length < 2) return undefined;
    const isFrame =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (offset + 9 > data.length) return undefined;
      return {
        mediaType: 'image/jpeg',
        height: data.readUInt16BE(offset + 5),
        width: data.readUInt16BE(offset + 7),
      };
    }
    offset += 2 + length;
  }
  return undefined;
}

function webpInfo(data: Buffer): Omit<ImageInfo, 'bytes'> | undefined {
  if (
    data.length < 30 ||
    data.toString('latin1', 0, 4) !== 'RIFF' ||
    data.toString('latin1', 8, 12) !== 'WEBP'
  )
    return undefined;
  const chunk = data.toString('latin1', 12, 16);
  if (chunk === 'VP8X') {
    // 24-bit canvas width-1 and height-1.
    return {
      mediaType: 'image/webp',
      width: 1 + data.readUIntLE(24, 3),
      height: 1 + data.readUIntLE(27, 3),
    };
  }
  if (chunk === 'VP8L') {
    if (data[20] !== 0x2f) return undefined;
    const bits = data.readUInt32LE(21);
    return {
      mediaType: 'image/webp',
      width: 1 + (bits & 0x3fff),
      height: 1 + ((bits >> 14) & 0x3fff),
    };
  }
  if (chunk === 'VP8 ') {
    // Keyframe start code 9d 01 2a, then 14-bit width and height.
    if (data[23] !== 0x9d || data[24] !== 0x01 || data[25] !== 0x2a) return undefined;
    return {
      mediaType: 'image/webp',
      width: data.readUInt16LE(26) & 0x3fff,
      height: data.readUInt16LE(28) & 0x3fff,
    };
  }
  return undefined;
}

/**
 * Reads the format and pixel size of a base64 PNG, JPEG, GIF or WebP image from its header bytes.
 * Returns undefined for anything else (not base64, truncated, another format).
 */
export function imageInfo(base64: string): ImageInfo | undefined {
  const data = Buffer.from(base64, 'base64');
  if (data.length === 0) return undefined;
  const header = pngInfo(data) ?? gifInfo(data) ?? jpegInfo(data) ?? webpInfo(data);
  if (!header || header.width <= 0 || header.height <= 0) return undefined;
  return { ...header, bytes: data.length };
}

/** Longest edge the API keeps before scaling an image down. */
const maxEdge = 1568;
/** The API also scales down images above about 1.15 megapixels (about 1,600 tokens). */
const maxPixels = 1_150_000;

/**
 * Input tokens for an image: about (width × height) / 750, after the scaling the API applies to
 * large images (long edge at most 1568 px, about 1.15 megapixels).
 */
export function imageTokens(width: number, height: number): number {
  let scale = Math.min(1, maxEdge / Math.max(width, height));
  const pixels = width * height * scale * scale;
  if (pixels > maxPixels) scale *= Math.sqrt(maxPixels / pixels);
  const scaledWidth = Math.max(1, Math.round(width * scale));
  const scaledHeight = Math.max(1, Math.round(height * scale));
  return Math.max(1, Math.ceil((scaledWidth * scaledHeight) / 750));
}

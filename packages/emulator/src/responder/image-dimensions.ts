/**
 * Reads an image's format and pixel size from its first bytes (PNG, JPEG, GIF, WebP), so the
 * responder can describe attached images without decoding them.
 */
export interface ImageDimensions {
  format: 'PNG' | 'JPEG' | 'GIF' | 'WebP' | 'unknown';
  /** Width in pixels; undefined when the header could not be read. */
  width?: number;
  height?: number;
  /** Size of the decoded bytes. */
  bytes: number;
}

function pngSize(data: Buffer): [number, number] | undefined {
  if (data.length < 24 || data.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return [data.readUInt32BE(16), data.readUInt32BE(20)];
}

function gifSize(data: Buffer): [number, number] | undefined {
  return data.length >= 10 ? [data.readUInt16LE(6), data.readUInt16LE(8)] : undefined;
}

function jpegSize(data: Buffer): [number, number] | undefined {
  let at = 2;
  while (at + 9 < data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = data.readUInt16BE(at + 2);
    // Start-of-frame markers (baseline, progressive, ...) carry the size; DHT/JPG/DAC do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return [data.readUInt16BE(at + 7), data.readUInt16BE(at + 5)];
    }
    at += 2 + length;
  }
  return undefined;
}

function webpSize(data: Buffer): [number, number] | undefined {
  if (data.length < 30) return undefined;
  const chunk = data.toString('ascii', 12, 16);
  if (chunk === 'VP8X') return [1 + data.readUIntLE(24, 3), 1 + data.readUIntLE(27, 3)];
  if (chunk === 'VP8 ') return [data.readUInt16LE(26) & 0x3fff, data.readUInt16LE(28) & 0x3fff];
  if (chunk === 'VP8L') {
    const bits = data.readUInt32LE(21);
    return [1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff)];
  }
  return undefined;
}

/** Format and size of a base64-encoded image. Never throws: unreadable data gives `unknown`. */
export function imageDimensions(base64: string): ImageDimensions {
  const data = Buffer.from(base64, 'base64');
  const bytes = data.length;
  let format: ImageDimensions['format'] = 'unknown';
  let size: [number, number] | undefined;
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47) {
    format = 'PNG';
    size = pngSize(data);
  } else if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8) {
    format = 'JPEG';
    size = jpegSize(data);
  } else if (data.length >= 6 && data.toString('ascii', 0, 3) === 'GIF') {
    format = 'GIF';
    size = gifSize(data);
  } else if (
    data.length >= 12 &&
    data.toString('ascii', 0, 4) === 'RIFF' &&
    data.toString('ascii', 8, 12) === 'WEBP'
  ) {
    format = 'WebP';
    size = webpSize(data);
  }
  return size ? { format, width: size[0], height: size[1], bytes } : { format, bytes };
}

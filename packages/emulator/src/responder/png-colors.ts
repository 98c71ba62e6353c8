import { inflateSync } from 'node:zlib';

/** Decoding stops above this many pixels: the answer would not change, the cost would. */
const maxPixels = 4_000_000;

/** Channels per pixel by PNG colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA). */
const channelsOf: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(left: number, up: number, upLeft: number): number {
  const p = left + up - upLeft;
  const pa = Math.abs(p - left);
  const pb = Math.abs(p - up);
  const pc = Math.abs(p - upLeft);
  return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
}

/**
 * The average colour of a PNG as [red, green, blue] (0-255), `'transparent'` when every pixel
 * is, or undefined when it cannot be read cheaply (interlaced, 16-bit, very large or
 * malformed). Fully transparent pixels are left out of the average. This is what the bytes of
 * an image say without a vision model.
 */
export function pngAverageColor(
  base64: string,
): [number, number, number] | 'transparent' | undefined {
  try {
    const data = Buffer.from(base64, 'base64');
    if (data.readUInt32BE(0) !== 0x89504e47) return undefined;
    let offset = 8;
    let width = 0;
    let height = 0;
    let bitDepth = 0;
    let colorType = 0;
    let palette: Buffer | undefined;
    const idat: Buffer[] = [];
    while (offset + 8 <= data.length) {
      const length = data.readUInt32BE(offset);
      const type = data.toString('latin1', offset + 4, offset + 8);
      const body = data.subarray(offset + 8, offset + 8 + length);
      if (type === 'IHDR') {
        width = body.readUInt32BE(0);
        height = body.readUInt32BE(4);
        bitDepth = body[8]!;
        colorType = body[9]!;
        if (body[12] !== 0) return undefined; // interlaced
      } else if (type === 'PLTE') palette = body;
      else if (type === 'IDAT') idat.push(body);
      else if (type === 'IEND') break;
      offset += 12 + length;
    }
    const channels = channelsOf[colorType];
    if (!channels || bitDepth !== 8 || width * height > maxPixels || width * height === 0)
      return undefined;
    if (colorType === 3 && !palette) return undefined;
    const raw = inflateSync(Buffer.concat(idat));
    const stride = width * channels;
    let previous = Buffer.alloc(stride);
    const sum = [0, 0, 0];
    let counted = 0;
    for (let row = 0; row < height; row++) {
      const start = row * (stride + 1);
      const filter = raw[start]!;
      const line = Buffer.from(raw.subarray(start + 1, start + 1 + stride));
      for (let i = 0; i < stride; i++) {
        const left = i >= channels ? line[i - channels]! : 0;
        const up = previous[i]!;
        const upLeft = i >= channels ? previous[i - channels]! : 0;
        const add =
          filter === 1
            ? left
            : filter === 2
              ? up
              : filter === 3
                ? (left + up) >> 1
                : filter === 4
                  ? paeth(left, up, upLeft)
                  : 0;
        line[i] = (line[i]! + add) & 0xff;
      }
      for (let x = 0; x < width; x++) {
        const at = x * channels;
        let rgb: number[];
        let alpha = 255;
        if (colorType === 3) {
          const index = line[at]! * 3;
          rgb = [palette![index]!, palette![index + 1]!, palette![index + 2]!];
        } else if (colorType === 0 || colorType === 4) {
          rgb = [line[at]!, line[at]!, line[at]!];
          if (colorType === 4) alpha = line[at + 1]!;
        } else {
          rgb = [line[at]!, line[at + 1]!, line[at + 2]!];
          if (colorType === 6) alpha = line[at + 3]!;
        }
        if (alpha === 0) continue;
        sum[0]! += rgb[0]!;
        sum[1]! += rgb[1]!;
        sum[2]! += rgb[2]!;
        counted++;
      }
      previous = line;
    }
    if (counted === 0) return 'transparent';
    return [
      Math.round(sum[0]! / counted),
      Math.round(sum[1]! / counted),
      Math.round(sum[2]! / counted),
    ];
  } catch {
    return undefined;
  }
}

/** A plain name for a colour: "black", "white", "grey", "red", "dark blue"... */
export function colorName([red, green, blue]: [number, number, number]): string {
  const max = Math.max(red, green, blue);
  const min = Math.min(red, green, blue);
  const lightness = (max + min) / 510;
  const saturation = max === min ? 0 : (max - min) / (255 - Math.abs(max + min - 255));
  if (saturation < 0.15 || max - min < 24) {
    if (lightness < 0.12) return 'black';
    if (lightness > 0.9) return 'white';
    return lightness < 0.4 ? 'dark grey' : lightness > 0.7 ? 'light grey' : 'grey';
  }
  let hue: number;
  if (max === red) hue = ((green - blue) / (max - min) + 6) % 6;
  else if (max === green) hue = (blue - red) / (max - min) + 2;
  else hue = (red - green) / (max - min) + 4;
  hue *= 60;
  const names: Array<[number, string]> = [
    [15, 'red'],
    [45, 'orange'],
    [70, 'yellow'],
    [160, 'green'],
    [200, 'cyan'],
    [260, 'blue'],
    [300, 'purple'],
    [340, 'pink'],
    [360, 'red'],
  ];
  const name = names.find(([limit]) => hue < limit)![1];
  return lightness < 0.25 ? `dark ${name}` : lightness > 0.8 ? `light ${name}` : name;
}

import { createHash } from 'node:crypto';

/**
 * A deterministic stand-in for a neural embedding: each lower-cased word adds ±1 to a hashed
 * dimension, and the vector is L2-normalised. Texts that share words are close, which is all a
 * test of the dense and hybrid paths needs.
 */
export function hashedBagOfWords(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const digest = createHash('sha1').update(word).digest();
    const slot = digest.readUInt32BE(0) % dimensions;
    vector[slot]! += digest[4]! & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

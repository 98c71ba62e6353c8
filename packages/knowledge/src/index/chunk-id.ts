import { createHash } from 'node:crypto';

/** sha256 of a string or bytes, hex. */
export function sha256(input: string | Uint8Array): string {
  return createHash('sha256').update(input).digest('hex');
}

/** The stable, citable id of a chunk: same source, position and text give the same id. */
export function chunkId(source: string, position: number, contentHash: string): string {
  return `ch_${sha256(`${source}\u0000${position}\u0000${contentHash}`).slice(0, 20)}`;
}

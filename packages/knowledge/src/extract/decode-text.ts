import { BinaryFileError } from '../errors/binary-file-error.ts';

/** The result of turning file bytes into text. */
export interface DecodedText {
  /** The decoded text, without a byte-order mark. */
  text: string;
  /** The encoding that was used. */
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the bytes of a text file: a UTF-16 byte-order mark wins, then strict UTF-8, then latin1
 * (every byte is a latin1 character, so legacy Windows/ISO-8859 files still read). Bytes that look
 * like binary data (NUL bytes, many control characters) raise {@link BinaryFileError} instead of
 * indexing garbage.
 */
export function decodeText(bytes: Uint8Array, path: string): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) throw new BinaryFileError(path, 'contains NUL bytes');
    // Tab, line feed, form feed and carriage return are text; other C0 controls are not.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) control++;
  }
  if (sample.length > 0 && control / sample.length > 0.1) {
    throw new BinaryFileError(path, `${control} control bytes in the first ${sample.length}`);
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return { text: utf8.decode(bytes.subarray(start)), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('latin1').decode(bytes), encoding: 'latin1' };
  }
}

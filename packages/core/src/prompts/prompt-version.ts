import { createHash } from 'node:crypto';

/**
 * The version of a prompt file: the first 12 hex digits of the sha256 of its normalized text.
 * Normalizing line endings and trailing whitespace keeps the version stable across editors and
 * operating systems, while any change that reaches the model changes it.
 */
export function promptVersion(fileText: string): string {
  const normalized = fileText
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
  return createHash('sha256').update(normalized, 'utf8').digest('hex').slice(0, 12);
}

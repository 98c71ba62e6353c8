/**
 * The emulator's one tokenizer. It is not Claude's tokenizer (that is not public); it is a fast,
 * deterministic approximation (about one token per short word, long words split every five
 * letters, each punctuation mark a token) used for every count the emulator reports, so
 * `input_tokens`, `output_tokens`, cache accounting and `count_tokens` always agree.
 */

const piecePattern = /\s*(?:[\p{L}\p{M}]{1,5}|\p{N}{1,3}|[^\s\p{L}\p{M}\p{N}])/gu;

/** Splits text into token pieces; their concatenation is the text minus trailing whitespace. */
export function tokenize(text: string): string[] {
  return text.match(piecePattern) ?? [];
}

const nonAscii = /[^\x00-\x7f]/;

/** Counts pure-ASCII text by character class, with exactly the pattern's rules, without a regex. */
function countAsciiTokens(text: string): number {
  let count = 0;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === 32 || (code >= 9 && code <= 13)) {
      i++;
    } else if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) {
      const start = i;
      let next = code;
      do next = text.charCodeAt(++i);
      while ((next >= 65 && next <= 90) || (next >= 97 && next <= 122));
      count += Math.ceil((i - start) / 5);
    } else if (code >= 48 && code <= 57) {
      const start = i;
      let next = code;
      do next = text.charCodeAt(++i);
      while (next >= 48 && next <= 57);
      count += Math.ceil((i - start) / 3);
    } else {
      count++;
      i++;
    }
  }
  return count;
}

/** The number of tokens in a text (the same count as `tokenize(text).length`). */
export function countTextTokens(text: string): number {
  if (!nonAscii.test(text)) return countAsciiTokens(text);
  let count = 0;
  piecePattern.lastIndex = 0;
  while (piecePattern.exec(text) !== null) count++;
  return count;
}

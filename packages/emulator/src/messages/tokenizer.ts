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

/** The number of tokens in a text. */
export function countTextTokens(text: string): number {
  let count = 0;
  piecePattern.lastIndex = 0;
  while (piecePattern.exec(text) !== null) count++;
  return count;
}

/**
 * The emulator's tokenizer. Claude's tokenizer is not public; this is a fast, deterministic
 * approximation calibrated against published figures (see `token-reference-cases.json` and
 * `tokenizer.test.ts`), used for every count the emulator reports, so `input_tokens`,
 * `output_tokens`, cache accounting and `count_tokens` always agree.
 *
 * Rules of the base (`claude-3`) family, piece by piece (whitespace joins the piece after it):
 * - a Latin word is one token up to six letters, then one more every three letters (common words
 *   are single tokens, long and rare ones split): English prose lands near 4 characters a token,
 *   between Anthropic's "approximately 3.5 English characters" per token and measured counts of
 *   about 4.2 (https://platform.claude.com/docs/en/about-claude/glossary; Korean, code and JSON
 *   ratios measured at https://dev.to/claudeguide/token-counting-why-your-estimates-are-wrong-and-how-to-fix-them-2g43);
 * - digits go three to a token; each punctuation mark or symbol (emoji included) is a token;
 * - Chinese, Japanese and Korean characters are about 6 tokens per 7 characters (one each, every
 *   sixth token taking two): CJK costs several times more per character than English;
 * - Cyrillic and Greek words split every three letters, other scripts (Arabic, Hebrew, Devanagari,
 *   Thai...) every two.
 *
 * The `claude-4-7` family (Opus 4.7 and later, the 5.x models) counts the same text about 30% higher:
 * "The same input text produces approximately 30 percent more tokens than on earlier models"
 * (https://platform.claude.com/docs/en/build-with-claude/token-counting). Output text is split with
 * the base rules whatever the family (see the emulator README's fidelity table).
 */

/** The tokenizer families of the model catalog. */
export type TokenizerFamily = 'claude-3' | 'claude-4-7';

/** How many more tokens the newer tokenizer makes of the same text (documented "approximately 30 percent"). */
export const newerTokenizerRatio = 1.3;

/** Letters a Latin word keeps in its first token. */
const latinHead = 6;
/** Letters per further token of a long Latin word. */
const latinTail = 3;
/** Digits per token. */
const digitsPerToken = 3;

const enum CharClass {
  Space,
  Latin,
  Digit,
  Cjk,
  Cyrillic,
  OtherLetter,
  Mark,
  Symbol,
}

const letterPattern = /\p{L}/u;
const markPattern = /\p{M}/u;
const digitPattern = /\p{N}/u;
const spacePattern = /\s/u;
const latinPattern = /\p{Script=Latin}/u;
const cjkPattern = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]/u;
const cyrillicPattern =
  /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Georgian}]/u;

function classify(code: number, char: string): CharClass {
  if (code < 128) {
    if (code === 32 || (code >= 9 && code <= 13)) return CharClass.Space;
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return CharClass.Latin;
    if (code >= 48 && code <= 57) return CharClass.Digit;
    return CharClass.Symbol;
  }
  // The commonest scripts by range first: the Unicode property tests below are slower.
  if (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0x3041 && code <= 0x3096) ||
    (code >= 0x30a1 && code <= 0x30fa)
  )
    return CharClass.Cjk;
  if (code >= 0x0410 && code <= 0x044f) return CharClass.Cyrillic;
  if (spacePattern.test(char)) return CharClass.Space;
  if (letterPattern.test(char)) {
    if (latinPattern.test(char)) return CharClass.Latin;
    if (cjkPattern.test(char)) return CharClass.Cjk;
    if (cyrillicPattern.test(char)) return CharClass.Cyrillic;
    return CharClass.OtherLetter;
  }
  if (markPattern.test(char)) return CharClass.Mark;
  if (digitPattern.test(char)) return CharClass.Digit;
  return CharClass.Symbol;
}

/** Characters (code points) of the next token of a run of `left` characters, its `index`-th token. */
function pieceLength(charClass: CharClass, index: number, left: number): number {
  switch (charClass) {
    case CharClass.Latin:
      return Math.min(left, index === 0 ? latinHead : latinTail);
    case CharClass.Digit:
      return Math.min(left, digitsPerToken);
    case CharClass.Cjk:
      return Math.min(left, index % 6 === 5 ? 2 : 1);
    case CharClass.Cyrillic:
      return Math.min(left, 3);
    case CharClass.OtherLetter:
      return Math.min(left, 2);
    default:
      return 1;
  }
}

/** Tokens of a run of `length` characters of one class. */
function runTokens(charClass: CharClass, length: number): number {
  switch (charClass) {
    case CharClass.Latin:
      return length <= latinHead ? 1 : 1 + Math.ceil((length - latinHead) / latinTail);
    case CharClass.Digit:
      return Math.ceil(length / digitsPerToken);
    case CharClass.Cjk:
      return length - Math.floor(length / 7);
    case CharClass.Cyrillic:
      return Math.ceil(length / 3);
    case CharClass.OtherLetter:
      return Math.ceil(length / 2);
    default:
      return length;
  }
}

interface Run {
  charClass: CharClass;
  /** UTF-16 offsets of each code point of the run, plus the end. */
  starts: number[];
}

/** Splits text into runs: whitespace is skipped, marks join the letters before them. */
function* runs(text: string): Generator<Run & { leading: number }> {
  let i = 0;
  const length = text.length;
  let leading = 0;
  let current: (Run & { leading: number }) | undefined;
  while (i < length) {
    const code = text.codePointAt(i)!;
    const size = code > 0xffff ? 2 : 1;
    const char = size === 1 ? text[i]! : text.slice(i, i + 2);
    let charClass = classify(code, char);
    if (charClass === CharClass.Mark && current && current.charClass !== CharClass.Symbol) {
      charClass = current.charClass;
    } else if (charClass === CharClass.Mark) {
      charClass = CharClass.Symbol;
    }
    if (charClass === CharClass.Space) {
      if (current) {
        yield current;
        current = undefined;
        leading = i;
      }
      i += size;
      continue;
    }
    // A run of one class continues (whitespace ended the previous one above); symbols stand alone.
    const joins = current?.charClass === charClass && charClass !== CharClass.Symbol;
    if (!joins) {
      if (current) {
        yield current;
        leading = i;
      }
      current = { charClass, starts: [], leading };
    }
    current!.starts.push(i);
    i += size;
  }
  if (current) yield current;
}

// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL
const nonAscii = /[^\x00-\x7f]/;

/**
 * Splits text into token pieces with the base rules; their concatenation is the text minus
 * trailing whitespace. Used to cut and stream output text.
 */
export function tokenize(text: string): string[] {
  const pieces: string[] = [];
  for (const run of runs(text)) {
    const { starts } = run;
    const end = starts.length;
    let from = run.leading;
    let at = 0;
    let index = 0;
    while (at < end) {
      const take = pieceLength(run.charClass, index, end - at);
      at += take;
      const stop = at < end ? starts[at]! : nextOffset(text, starts[end - 1]!);
      pieces.push(text.slice(from, stop));
      from = stop;
      index++;
    }
  }
  return pieces;
}

function nextOffset(text: string, offset: number): number {
  return offset + ((text.codePointAt(offset) ?? 0) > 0xffff ? 2 : 1);
}

/** Counts pure-ASCII text by character class, with exactly the rules above, without allocating. */
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
      const letters = i - start;
      count += letters <= latinHead ? 1 : 1 + Math.ceil((letters - latinHead) / latinTail);
    } else if (code >= 48 && code <= 57) {
      const start = i;
      let next = code;
      do next = text.charCodeAt(++i);
      while (next >= 48 && next <= 57);
      count += Math.ceil((i - start) / digitsPerToken);
    } else {
      count++;
      i++;
    }
  }
  return count;
}

/** Tokens of a text with the base (`claude-3`) rules: the same count as `tokenize(text).length`. */
function countBaseTokens(text: string): number {
  if (!nonAscii.test(text)) return countAsciiTokens(text);
  let count = 0;
  for (const run of runs(text)) count += runTokens(run.charClass, run.starts.length);
  return count;
}

/** The number of tokens in a text for a tokenizer family (default the base `claude-3`). */
export function countTextTokens(text: string, family: TokenizerFamily = 'claude-3'): number {
  const base = countBaseTokens(text);
  return family === 'claude-4-7' ? Math.ceil(base * newerTokenizerRatio) : base;
}

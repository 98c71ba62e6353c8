/**
 * A script-aware upper estimate of the tokens in a text, for budgets and limits: it must not come
 * out below what the API counts. Claude's tokenizer is not public, so each rule takes the dense end
 * of published figures and adds a margin:
 * - English averages "approximately 3.5 English characters" a token
 *   (https://platform.claude.com/docs/en/about-claude/glossary): a Latin word of up to four letters
 *   counts one token, then one more every three letters; digits two to a token; each punctuation
 *   mark and each line break one token;
 * - Chinese and Japanese run close to one token a character (a length / 3.5 estimate undercounts
 *   Chinese about 3x) and Korean about 0.62 tokens a character, spaces included
 *   (https://dev.to/claudeguide/token-counting-why-your-estimates-are-wrong-and-how-to-fix-them-2g43):
 *   every CJK character counts one token;
 * - Cyrillic and Greek words count one token every two letters, other scripts (Arabic, Hebrew,
 *   Devanagari, Thai...) one every two letters plus one a word; accented Latin letters one more each;
 * - an emoji or other symbol outside the Basic Multilingual Plane counts 3 (four UTF-8 bytes), other
 *   non-ASCII symbols 2.
 * The newer tokenizer (Claude Opus 4.7 and later, the 5.x models) makes "approximately 30 percent
 * more tokens" of the same text (https://platform.claude.com/docs/en/build-with-claude/token-counting),
 * up to 1.35x by content type at its launch: the estimate multiplies by 1.35 for that family.
 */

/** The tokenizer families of the model catalog. */
export type TokenizerFamily = 'claude-3' | 'claude-4-7';

/** The upper ratio of the newer tokenizer to the older one ("1.0–1.35x depending on the content type"). */
const newerTokenizerUpperRatio = 1.35;

const enum Kind {
  Space,
  Newline,
  Latin,
  AccentedLatin,
  Digit,
  Cjk,
  Cyrillic,
  OtherLetter,
  Mark,
  Symbol,
  WideSymbol,
}

const letter = /\p{L}/u;
const mark = /\p{M}/u;
const digit = /\p{N}/u;
const space = /\s/u;
const latin = /\p{Script=Latin}/u;
const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]/u;
const cyrillic = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Georgian}]/u;

function kindOf(code: number, char: string): Kind {
  if (code < 128) {
    if (code === 10 || code === 13) return Kind.Newline;
    if (code === 32 || code === 9 || code === 11 || code === 12) return Kind.Space;
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return Kind.Latin;
    if (code >= 48 && code <= 57) return Kind.Digit;
    return Kind.Symbol;
  }
  // The commonest scripts by range first: the Unicode property tests below are slower.
  if (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0x3041 && code <= 0x3096) ||
    (code >= 0x30a1 && code <= 0x30fa)
  )
    return Kind.Cjk;
  if (code >= 0x0410 && code <= 0x044f) return Kind.Cyrillic;
  if (space.test(char)) return Kind.Space;
  if (letter.test(char)) {
    if (latin.test(char)) return Kind.AccentedLatin;
    if (cjk.test(char)) return Kind.Cjk;
    if (cyrillic.test(char)) return Kind.Cyrillic;
    return Kind.OtherLetter;
  }
  if (mark.test(char)) return Kind.Mark;
  if (digit.test(char)) return Kind.Digit;
  return code > 0xffff ? Kind.WideSymbol : Kind.Symbol;
}

/** Tokens of a word of `letters` Latin letters, `accented` of them outside ASCII. */
function latinWordTokens(letters: number, accented: number): number {
  return (letters <= 4 ? 1 : 1 + Math.ceil((letters - 4) / 3)) + accented;
}

/** The base (older tokenizer) estimate of a text. */
function baseTextTokens(text: string): number {
  let tokens = 0;
  // The word being read: its script, its letters, and its accented Latin letters.
  let word: Kind | undefined;
  let letters = 0;
  let accented = 0;
  let digits = 0;
  let previousNewline = false;
  const endWord = () => {
    if (word === Kind.Latin) tokens += latinWordTokens(letters, accented);
    else if (word === Kind.Cyrillic) tokens += Math.ceil(letters / 2);
    else if (word === Kind.OtherLetter) tokens += Math.ceil(letters / 2) + 1;
    word = undefined;
    letters = 0;
    accented = 0;
  };
  const endDigits = () => {
    tokens += Math.ceil(digits / 2);
    digits = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const wide = code > 0xffff;
    const char = wide ? text.slice(i, i + 2) : text[i]!;
    if (wide) i++;
    let kind = kindOf(code, char);
    if (kind === Kind.Mark) {
      // Combining marks belong to the letters before them; alone they are a symbol.
      if (word !== undefined) {
        letters++;
        continue;
      }
      kind = Kind.Symbol;
    }
    if (kind !== Kind.Digit && digits > 0) endDigits();
    const wordKind = kind === Kind.AccentedLatin ? Kind.Latin : kind;
    if (word !== undefined && wordKind !== word) endWord();
    if (kind !== Kind.Newline) previousNewline = false;
    switch (kind) {
      case Kind.Latin:
      case Kind.AccentedLatin:
      case Kind.Cyrillic:
      case Kind.OtherLetter:
        word = wordKind;
        letters++;
        if (kind === Kind.AccentedLatin) accented++;
        break;
      case Kind.Digit:
        digits++;
        break;
      case Kind.Cjk:
        tokens += 1;
        break;
      case Kind.Newline:
        if (!previousNewline) tokens += 1;
        previousNewline = true;
        break;
      case Kind.Space:
        break;
      case Kind.WideSymbol:
        tokens += 3;
        break;
      default:
        tokens += code < 128 ? 1 : 2;
    }
  }
  if (digits > 0) endDigits();
  endWord();
  return tokens;
}

/** The upper estimate of a text's tokens for a tokenizer family (default: the newer, larger one). */
export function estimateTextTokensFor(
  text: string,
  family: TokenizerFamily = 'claude-4-7',
): number {
  const base = baseTextTokens(text);
  return family === 'claude-4-7' ? Math.ceil(base * newerTokenizerUpperRatio) : base;
}

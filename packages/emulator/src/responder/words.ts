/**
 * Word-level text helpers for the deterministic responder: splitting into words (including
 * identifier parts such as `get_weather` or `orderStatus`), light stemming and overlap scoring.
 * They are deliberately simple; the goal is sensible offline behaviour, not language modelling.
 */

/** Stems already computed (declared first: the word lists below are stemmed at load). */
const stemCache = new Map<string, string>();

const stopWords = new Set(
  (
    'a about above after again all also am an and any are as at be because been before being ' +
    'below between both but by can could did do does doing done down during each either else ' +
    'etc ever every few for from further had has have having he her here hers him his how i if ' +
    'in into is it its itself just let like may me might mine more most must my no nor not now ' +
    'of off on once only or other our ours out over own please same shall she should so some ' +
    'such than that the their theirs them then there these they this those through to too under ' +
    'until up upon us very was we were what when where which while who whom whose why will with ' +
    'would yes yet you your yours yourself tell show give want need know think thing things ' +
    'get got make really much many one ok okay hi hello hey thank thanks kindly'
  ).split(' '),
);

/** Words too generic to say which tool fits (they appear in most tool descriptions). */
const genericToolWords = new Set(
  (
    'use used using tool tools function call return returns returned given specified provide ' +
    'provided information info data value values result results current set list lookup look ' +
    'fetch retrieve request response input output item items object string number field ' +
    'fields param parameter parameters optional required'
  )
    .split(' ')
    .map(stem),
);

/** Splits text into lowercase words; identifiers are split on `_`, `-` and camelCase humps. */
export function words(text: string): string[] {
  const spaced = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return spaced.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
}

/** A light stemmer: strips common English inflections so "orders", "ordered", "ordering" meet. */
export function stem(word: string): string {
  let cached = stemCache.get(word);
  if (cached === undefined) {
    // Natural text repeats its words; long documents would otherwise stem them again and again.
    if (stemCache.size > 50_000) stemCache.clear();
    cached = stemUncached(word);
    stemCache.set(word, cached);
  }
  return cached;
}

function stemUncached(word: string): string {
  let w = word.replace(/'s$/, '').replace(/n't$/, '');
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('es') && /(?:ch|sh|x|z|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is'))
    w = w.slice(0, -1);
  if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  // "stopp(ing)" -> "stop", "runn(ing)" -> "run"
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(?:ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

/** True for words that carry no topic (articles, pronouns, filler verbs). */
function isStopWord(word: string): boolean {
  return stopWords.has(word);
}

/** The stems of the meaningful words of a text, in order, without duplicates. */
export function contentStems(text: string): string[] {
  const seen = new Set<string>();
  for (const word of words(text)) {
    if (isStopWord(word) || word.length < 2) continue;
    seen.add(stem(word));
  }
  return [...seen];
}

/** Content stems that also say something about which tool fits (generic tool words removed). */
export function toolStems(text: string): string[] {
  return contentStems(text).filter((s) => !genericToolWords.has(s));
}

/** The meaningful words of a text in their original spelling, in order, without duplicates. */
export function contentWords(text: string): string[] {
  const seen = new Map<string, string>();
  for (const match of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu)) {
    const original = match[0].replace(/'s$/, '');
    const lower = original.toLowerCase();
    if (isStopWord(lower) || lower.length < 2) continue;
    const key = stem(lower);
    if (!seen.has(key)) seen.set(key, original);
  }
  return [...seen.values()];
}

/** How many of the query stems occur in the candidate stems. */
export function overlap(query: readonly string[], candidate: readonly string[]): number {
  const set = new Set(candidate);
  let count = 0;
  for (const item of query) if (set.has(item)) count++;
  return count;
}

/** A stable 32-bit FNV-1a hash, used to vary wording deterministically. */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Picks one of the options, the same one for the same seed text. */
export function pick<T>(options: readonly T[], seed: string): T {
  return options[stableHash(seed) % options.length]!;
}

/** Splits text into sentences, keeping their offsets in the text. */
export function sentences(text: string): Array<{ text: string; start: number; end: number }> {
  const result: Array<{ text: string; start: number; end: number }> = [];
  const push = (from: number, to: number) => {
    const raw = text.slice(from, to);
    const trimmed = raw.trim();
    if (trimmed.length === 0) return;
    const start = from + (raw.length - raw.trimStart().length);
    result.push({ text: trimmed, start, end: start + trimmed.length });
  };
  let from = 0;
  for (const match of text.matchAll(/[.!?]+(?=\s|$)|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)/g)) {
    const isNewline = match[0].startsWith('\n');
    push(from, isNewline ? match.index : match.index + match[0].length);
    from = match.index + match[0].length;
  }
  push(from, text.length);
  return result;
}

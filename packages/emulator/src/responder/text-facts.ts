/**
 * Facts pulled out of the user's words (ids, emails, dates, numbers, place names, quoted
 * strings) so that tool arguments and structured output can be filled from the message.
 */

/** A number found in the text, with the words around it (to match it to a field name). */
interface NumberFact {
  value: number;
  /** Offset in the text. */
  index: number;
  /** Lowercase words around the number, nearest first (alternating before and after). */
  nearby: string[];
}

export interface TextFacts {
  text: string;
  /** Id-like tokens: `ORD-1234`, `A-17`, `1234` from `#1234`, `AB12CD`. */
  ids: string[];
  emails: string[];
  urls: string[];
  uuids: string[];
  /** Dates as ISO `YYYY-MM-DD`. */
  dates: string[];
  /** Times as `HH:MM:SS` (24h). */
  times: string[];
  numbers: NumberFact[];
  /** Text between quotes. */
  quoted: string[];
  /** Capitalized words or runs of them that look like places (`Paris`, `New York`). */
  places: string[];
  /** Capitalized words or runs that are not sentence-initial (names, places, products). */
  properNouns: string[];
  /** ISO currency codes mentioned (by code or by symbol). */
  currencies: string[];
}

const monthNames = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const numberWords: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  twenty: 20,
  hundred: 100,
};

const currencyCodes = new Set(
  'USD EUR GBP JPY CHF CAD AUD NZD CNY INR SEK NOK DKK PLN CZK HUF MXN BRL ZAR SGD HKD KRW TRY'.split(
    ' ',
  ),
);
const currencySymbols: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' };

/** Capitalized words that are not names or places. */
const notProper = new Set(
  (
    "I I'm I'll I'd I've Please Thanks Thank Hi Hello Hey Can Could Would Will What When Where " +
    'Why How Who Which Is Are Do Does Did The A An And Or But If Then Also Yes No OK Ok Okay My ' +
    'Our Your Their This That These Those Let Tell Show Give Find Get Check Look Send Book ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Tomorrow Yesterday ' +
    'January February March April May June July August September October November December'
  ).split(' '),
);

const placePrepositions = new Set([
  'in',
  'at',
  'to',
  'from',
  'near',
  'for',
  'of',
  'visit',
  'visiting',
  'around',
]);

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** Interleaves the words before (read backwards) and after a position: nearest first. */
function byProximity(before: string[], after: string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const previous = before[before.length - 1 - i];
    if (previous !== undefined) result.push(previous);
    if (after[i] !== undefined) result.push(after[i]!);
  }
  return result;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Texts longer than this are read at their start and end only: the facts are there, and the
 * responder must stay fast on 100k-token prompts. */
const maxAnalyzedChars = 32_000;

/** The part of a text worth reading for facts: all of it, or its start and end when long. */
export function analyzedText(text: string): string {
  if (text.length <= maxAnalyzedChars) return text;
  const half = maxAnalyzedChars / 2;
  return `${text.slice(0, half)}\n${text.slice(-half)}`;
}

/** Reads the facts of a text. Pure: the same text always gives the same facts. */
export function readTextFacts(fullText: string): TextFacts {
  const text = analyzedText(fullText);
  // Characters already claimed by an email, URL, date, id...: a number inside them is not a number.
  const masked = new Uint8Array(text.length);
  const mask = (index: number, length: number) => masked.fill(1, index, index + length);
  const isMasked = (index: number) => masked[index] === 1;

  const emails: string[] = [];
  for (const m of text.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)) {
    emails.push(m[0]);
    mask(m.index, m[0].length);
  }
  const urls: string[] = [];
  for (const m of text.matchAll(/\bhttps?:\/\/[^\s<>"')\]]+/g)) {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    urls.push(url);
    mask(m.index, m[0].length);
  }
  const uuids: string[] = [];
  for (const m of text.matchAll(
    /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
  )) {
    uuids.push(m[0].toLowerCase());
    mask(m.index, m[0].length);
  }

  const dates: string[] = [];
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?Z?)?/g)) {
    if (isMasked(m.index)) continue;
    const date = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (date) dates.push(date);
    mask(m.index, m[0].length);
  }
  const monthPattern = monthNames.map((name) => `${name}|${name.slice(0, 3)}\\.?`).join('|');
  for (const m of text.matchAll(
    new RegExp(`\\b(${monthPattern})\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'gi'),
  )) {
    const month = monthNames.findIndex((name) => m[1]!.toLowerCase().startsWith(name.slice(0, 3)));
    const date = isoDate(Number(m[3]), month + 1, Number(m[2]));
    if (date) dates.push(date);
    mask(m.index, m[0].length);
  }
  for (const m of text.matchAll(
    new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${monthPattern})\\s+(\\d{4})\\b`, 'gi'),
  )) {
    const month = monthNames.findIndex((name) => m[2]!.toLowerCase().startsWith(name.slice(0, 3)));
    const date = isoDate(Number(m[3]), month + 1, Number(m[1]));
    if (date) dates.push(date);
    mask(m.index, m[0].length);
  }
  for (const m of text.matchAll(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g)) {
    const date = isoDate(Number(m[3]), Number(m[1]), Number(m[2]));
    if (date) dates.push(date);
    mask(m.index, m[0].length);
  }

  const times: string[] = [];
  for (const m of text.matchAll(/\b(\d{1,2})(?::(\d{2}))?\s?([ap])\.?m\.?(?![a-z])/gi)) {
    if (isMasked(m.index)) continue;
    let hour = Number(m[1]) % 12;
    if (m[3]!.toLowerCase() === 'p') hour += 12;
    times.push(`${pad(hour)}:${m[2] ?? '00'}:00`);
    mask(m.index, m[0].length);
  }
  for (const m of text.matchAll(/\b([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\b/g)) {
    if (isMasked(m.index)) continue;
    times.push(`${pad(Number(m[1]))}:${m[2]}:${m[3] ?? '00'}`);
    mask(m.index, m[0].length);
  }

  const ids: string[] = [];
  for (const m of text.matchAll(
    /\b[A-Za-z]{1,8}[-_]?\d[\w-]*\b|#\d+\b|\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{4,}\b/g,
  )) {
    if (isMasked(m.index)) continue;
    const token = m[0];
    // Plain words followed by digits only count when they look like codes (ORD-12, A17, abc123).
    if (
      !token.startsWith('#') &&
      !/[A-Z]/.test(token) &&
      !/[-_]/.test(token) &&
      !/\d{2,}/.test(token)
    )
      continue;
    ids.push(token.startsWith('#') ? token.slice(1) : token);
    mask(m.index, token.length);
  }

  const currencies: string[] = [];
  for (const m of text.matchAll(/\b[A-Z]{3}\b|[$€£¥]/g)) {
    const code = currencySymbols[m[0]] ?? (currencyCodes.has(m[0]) ? m[0] : undefined);
    if (code) currencies.push(code);
  }

  const numbers: NumberFact[] = [];
  const lowerWords = (from: number, to: number) =>
    text
      .slice(Math.max(0, from), Math.max(0, to))
      .toLowerCase()
      .match(/[a-z]+/g) ?? [];
  for (const m of text.matchAll(/(?<![\w.])-?\d+(?:,\d{3})*(?:\.\d+)?(?![\w-])/g)) {
    if (isMasked(m.index)) continue;
    const value = Number(m[0].replace(/,/g, ''));
    if (!Number.isFinite(value)) continue;
    const before = lowerWords(m.index - 30, m.index).slice(-3);
    const after = lowerWords(m.index + m[0].length, m.index + m[0].length + 30).slice(0, 3);
    numbers.push({ value, index: m.index, nearby: byProximity(before, after) });
  }
  for (const m of text.matchAll(
    /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred)\b/gi,
  )) {
    const before = lowerWords(m.index - 30, m.index).slice(-3);
    const after = lowerWords(m.index + m[0].length, m.index + m[0].length + 30).slice(0, 3);
    numbers.push({
      value: numberWords[m[1]!.toLowerCase()]!,
      index: m.index,
      nearby: byProximity(before, after),
    });
  }
  numbers.sort((a, b) => a.index - b.index);

  const quoted: string[] = [];
  for (const m of text.matchAll(
    /"([^"\n]{1,200})"|“([^”\n]{1,200})”|(?<![\w])'([^'\n]{1,200})'(?![\w])/g,
  )) {
    quoted.push((m[1] ?? m[2] ?? m[3]!).trim());
  }

  const properNouns: string[] = [];
  const places: string[] = [];
  for (const m of text.matchAll(
    /\b[A-Z][\p{L}'’-]*(?:[ \t]+(?:[A-Z][\p{L}'’-]*|de|la|del|upon|on|am))*\b/gu,
  )) {
    const spoken = m[0].replace(/[ \t]+(?:de|la|del|upon|on|am)$/u, '').split(/[ \t]+/);
    const parts = spoken.filter(
      (part) => !notProper.has(part.replace(/[.,]$/, '').replace(/['’](?:s|re|ll|d|ve|m)$/, '')),
    );
    while (parts.length > 0 && /^(?:de|la|del|upon|on|am)$/.test(parts.at(-1)!)) parts.pop();
    while (parts.length > 0 && /^(?:de|la|del|upon|on|am)$/.test(parts[0]!)) parts.shift();
    if (parts.length === 0 || isMasked(m.index)) continue;
    const run = parts.join(' ');
    if (/^[A-Z]{3}$/.test(run)) continue;
    // Only the few characters before matter; slicing the whole prefix would be quadratic.
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const sentenceStart = /(?:^|[.!?]\s+|\n\s*)$/.test(before);
    const previous = before.toLowerCase().match(/([a-z]+)\s*$/)?.[1];
    if (previous && placePrepositions.has(previous)) places.push(run);
    // Two capitalized words open a sentence only as a name ("Ada Lovelace is 36").
    else if (!sentenceStart || parts.length < spoken.length || parts.length >= 2)
      properNouns.push(run);
  }

  return {
    text,
    ids: unique(ids),
    emails: unique(emails),
    urls: unique(urls),
    uuids: unique(uuids),
    dates: unique(dates),
    times: unique(times),
    numbers,
    quoted: unique(quoted),
    places: unique(places),
    properNouns: unique([...places, ...properNouns]),
    currencies: unique(currencies),
  };
}

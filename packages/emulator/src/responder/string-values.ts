import { createHash } from 'node:crypto';
import type { FieldKind } from './field-kind.ts';
import { pathsIn } from './file-paths.ts';
import { numberKeyword, type JsonSchema } from './json-schema.ts';
import type { TextFacts } from './text-facts.ts';
import { contentWords, stem } from './words.ts';

const languages = [
  'English',
  'French',
  'Spanish',
  'German',
  'Italian',
  'Portuguese',
  'Dutch',
  'Japanese',
  'Chinese',
  'Korean',
  'Russian',
  'Arabic',
  'Hindi',
  'Polish',
  'Swedish',
];

const requestVerbs = new Set(
  [
    'find',
    'search',
    'look',
    'lookup',
    'check',
    'fetch',
    'retrieve',
    'query',
    'could',
    'would',
    'can',
    'up',
  ].map(stem),
);

/** The meaningful words of the text as a short phrase (used for queries and titles). */
export function topicPhrase(text: string, limit = 8): string {
  return contentWords(text)
    .filter((word) => !requestVerbs.has(stem(word.toLowerCase())))
    .slice(0, limit)
    .join(' ');
}

function titleCase(phrase: string): string {
  return phrase.replace(
    /(^|\s)(\p{Ll})/gu,
    (_, space: string, letter: string) => space + letter.toUpperCase(),
  );
}

/** The part of a request after "saying", "that says", "message:" and the like. */
export function dictatedText(text: string): string | undefined {
  const match = text.match(
    /\b(?:saying|that says|which says|with the (?:text|message|body)|message|note|body)\s*[:,-]?\s+(.{3,})$/is,
  );
  return match?.[1]?.trim().replace(/^["“']|["”']$/g, '');
}

function knownLanguages(text: string): string[] {
  return languages.filter((language) => new RegExp(`\\b${language}\\b`, 'i').test(text));
}

/** Values of the given kind found in the text, most likely first. */
export function stringCandidates(kind: FieldKind, name: string, facts: TextFacts): string[] {
  void name;
  const { text } = facts;
  switch (kind) {
    case 'email':
      return facts.emails;
    case 'url':
      return facts.urls;
    case 'uuid':
      return facts.uuids;
    case 'date':
      return facts.dates;
    case 'date-time':
      return facts.dates.map((date) => `${date}T${facts.times[0] ?? '00:00:00'}Z`);
    case 'time':
      return facts.times;
    case 'duration': {
      const match = text.match(/\b(\d+)\s*(hours?|hrs?|minutes?|mins?|days?)\b/i);
      if (!match) return [];
      const unit = match[2]!.toLowerCase();
      return [
        unit.startsWith('d') ? `P${match[1]}D` : `PT${match[1]}${unit.startsWith('h') ? 'H' : 'M'}`,
      ];
    }
    case 'hostname':
      return [
        ...facts.urls.map((url) => new URL(url).hostname),
        ...facts.emails.map((email) => email.split('@')[1]!),
      ];
    case 'ipv4':
      return [...text.matchAll(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g)].map((m) => m[0]);
    case 'ipv6':
      return [];
    case 'phone':
      return [...text.matchAll(/\+?\d[\d\s().-]{6,}\d/g)].map((m) => m[0].trim());
    case 'id':
      return [
        ...facts.ids,
        ...facts.numbers
          .filter((n) => Number.isInteger(n.value) && n.value >= 100)
          .map((n) => String(n.value)),
      ];
    case 'path':
      return pathsIn(text);
    case 'place':
      return [...facts.places, ...facts.properNouns.filter((noun) => !facts.places.includes(noun))];
    case 'person':
      return [...facts.properNouns.filter((noun) => !facts.places.includes(noun)), ...facts.quoted];
    case 'currency':
      return facts.currencies;
    case 'language':
      return knownLanguages(text);
    case 'query': {
      const phrase = topicPhrase(text);
      return [...facts.quoted, ...(phrase ? [phrase] : [])];
    }
    case 'keywords':
      return contentWords(text)
        .filter((word) => !requestVerbs.has(stem(word.toLowerCase())))
        .slice(0, 5)
        .map((word) => word.toLowerCase());
    case 'title': {
      const phrase = topicPhrase(text, 6);
      return [...facts.quoted, ...(phrase ? [titleCase(phrase)] : [])];
    }
    case 'text': {
      const dictated = dictatedText(text);
      return [
        ...facts.quoted,
        ...(dictated ? [dictated] : []),
        ...(text.trim() ? [text.trim().slice(0, 500)] : []),
      ];
    }
    default: {
      const phrase = topicPhrase(text, 6);
      return [...facts.quoted, ...facts.properNouns, ...facts.ids, ...(phrase ? [phrase] : [])];
    }
  }
}

/** A deterministic RFC 4122 version-4-shaped UUID derived from a seed. */
function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A placeholder of the right kind, for when the text supplies nothing. */
export function fallbackString(
  name: string,
  facts: TextFacts,
  kind: FieldKind = 'generic',
): string {
  switch (kind) {
    case 'email':
      return 'user@example.com';
    case 'url':
      return 'https://example.com';
    case 'uuid':
      return uuidFrom(`${name}:${facts.text}`);
    case 'date':
      return '2025-01-01';
    case 'date-time':
      return '2025-01-01T00:00:00Z';
    case 'time':
      return '12:00:00';
    case 'duration':
      return 'PT1H';
    case 'hostname':
      return 'example.com';
    case 'ipv4':
      return '192.0.2.1';
    case 'ipv6':
      return '2001:db8::1';
    case 'phone':
      return '+1-555-0100';
    case 'currency':
      return 'USD';
    case 'language':
      return 'English';
    case 'id':
    case 'path':
    case 'place':
    case 'person':
      return 'unknown';
    default:
      return topicPhrase(facts.text, 6) || 'example';
  }
}

/**
 * Makes a candidate satisfy the schema's string constraints (length, pattern), or returns
 * undefined when it cannot.
 */
export function fitString(schema: JsonSchema, candidate: string): string | undefined {
  let value = candidate;
  const maxLength = numberKeyword(schema, 'maxLength');
  const minLength = numberKeyword(schema, 'minLength');
  if (maxLength !== undefined && [...value].length > maxLength)
    value = [...value].slice(0, maxLength).join('').trimEnd();
  if (minLength !== undefined && [...value].length < minLength)
    value = value.padEnd(minLength, '.');
  if (typeof schema.pattern === 'string') {
    let pattern: RegExp;
    try {
      pattern = new RegExp(schema.pattern, 'u');
    } catch {
      return value;
    }
    if (!pattern.test(value)) return undefined;
  }
  return value;
}

import { words } from './words.ts';

/** What a string field holds, guessed from its name, format and description. */
export type FieldKind =
  | 'email'
  | 'url'
  | 'uuid'
  | 'date'
  | 'date-time'
  | 'time'
  | 'duration'
  | 'hostname'
  | 'ipv4'
  | 'ipv6'
  | 'phone'
  | 'id'
  | 'path'
  | 'place'
  | 'person'
  | 'currency'
  | 'language'
  | 'query'
  | 'keywords'
  | 'title'
  | 'text'
  | 'generic';

const formatKinds: Record<string, FieldKind> = {
  email: 'email',
  'idn-email': 'email',
  uri: 'url',
  url: 'url',
  'uri-reference': 'url',
  iri: 'url',
  uuid: 'uuid',
  date: 'date',
  'date-time': 'date-time',
  time: 'time',
  duration: 'duration',
  hostname: 'hostname',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
};

const nameRules: Array<[RegExp, FieldKind]> = [
  [/\b(?:e?mails?|email address)\b/, 'email'],
  [/\b(?:urls?|uris?|links?|website|href|homepage|endpoint)\b/, 'url'],
  [/\b(?:uuid|guid)\b/, 'uuid'],
  [/\b(?:paths?|filenames?|file name|directory|dir|folder)\b|^files?$/, 'path'],
  [/\b(?:phone|tel|telephone|mobile|cell|fax)\b/, 'phone'],
  [
    /\b(?:timestamp|datetime)\b|\b(?:created|updated|deleted|starts?|ends?|due|scheduled) at\b/,
    'date-time',
  ],
  [/\b(?:date|day|birthday|dob|deadline|checkin|checkout)\b/, 'date'],
  [/\btime\b/, 'time'],
  [/\b(?:id|ids|identifier|number|num|no|code|sku|ref|reference|key|handle|slug|tracking)$/, 'id'],
  [
    /\b(?:city|cities|location|locations|place|country|destination|origin|address|region|town|venue|where|airport|state|province|area)\b/,
    'place',
  ],
  [/\b(?:currency|currencies)\b/, 'currency'],
  [/\b(?:language|languages|lang|locale)\b/, 'language'],
  [/\b(?:keywords?|tags?|labels?|topics)\b/, 'keywords'],
  [/\b(?:query|q|search|term|terms|question|topic|prompt|search query|keyword query)\b/, 'query'],
  [/\b(?:title|subject|headline|heading)\b/, 'title'],
  [
    /\b(?:first name|last name|full name|name|names|person|customer|user|username|recipient|author|assignee|owner|contact|sender|attendee|attendees)$/,
    'person',
  ],
  [
    /\b(?:text|message|content|body|note|notes|comment|comments|description|summary|reason|details|instructions|answer|response|explanation|feedback|review)\b/,
    'text',
  ],
];

/** Guesses what a field holds from its name (`order_id`, `cityName`), format and description. */
export function fieldKind(name: string, format?: unknown, description?: unknown): FieldKind {
  if (typeof format === 'string' && formatKinds[format]) return formatKinds[format];
  const spoken = words(name).join(' ');
  for (const [pattern, kind] of nameRules) if (pattern.test(spoken)) return kind;
  if (typeof description === 'string' && spoken === '') {
    const described = words(description).join(' ');
    for (const [pattern, kind] of nameRules) if (pattern.test(described)) return kind;
  }
  return 'generic';
}

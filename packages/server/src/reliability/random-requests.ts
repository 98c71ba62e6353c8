import fc from 'fast-check';

/** A route of the assistant's HTTP app, as Hono lists it. */
export interface ApiRoute {
  method: string;
  /** The path template, e.g. `/api/sessions/:id`. */
  path: string;
}

/** Who a random request claims to be. */
export type Caller =
  'nobody' | 'alice' | 'bob' | 'admin' | 'forged-bearer' | 'forged-cookie' | 'bad-header';

/** Session ids a request may name: real ones of two users, and garbage. */
export interface KnownIds {
  /** A session of alice's that the fuzzer may rename, stop or delete. */
  aliceSession: string;
  /** A session of bob's. */
  bobSession: string;
}

/** One random request, before tokens and ids are filled in. */
export interface RandomRequest {
  route: ApiRoute;
  /** Sometimes not the route's own method. */
  method: string;
  /** Replaces every `:param` of the path. */
  id: { kind: 'alice' } | { kind: 'bob' } | { kind: 'raw'; value: string };
  query: string;
  caller: Caller;
  contentType: string | undefined;
  origin: string | undefined;
  body: string | Uint8Array<ArrayBuffer> | undefined;
}

// A real 2x2 PNG, so some image bodies are valid and reach the model.
const photo =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';

/** Values that fit some field of some route, so random bodies are sometimes valid. */
const plausible = fc.constantFrom<unknown>(
  'hello',
  'What is the status of order ORD-10000001?',
  'alice@example.com',
  'alice-demo',
  'correct horse battery',
  'Kettle',
  'day',
  'image/png',
  photo,
  [{ mediaType: 'image/png', data: photo }],
  [{ mediaType: 'image/png', data: '/9j/4AAQSkZJRgABAQ==' }],
  '',
  '   ',
);

/** The fields the API's bodies know, and a few it does not. */
const fieldNames = fc.constantFrom(
  'text',
  'images',
  'title',
  'email',
  'password',
  'displayName',
  'label',
  'code',
  'role',
  '__proto__',
  'constructor',
  'extra',
);

const hostile = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    0,
    -1,
    1e308,
    Number.MAX_SAFE_INTEGER,
    '\u0000',
    '\ud800',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '../../etc/passwd',
    { $gt: '' },
    [],
    {},
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 2_000, max: 120_000 }).map((length) => 'x'.repeat(length)),
);

const fieldValue = fc.oneof(
  { weight: 3, arbitrary: plausible },
  { weight: 2, arbitrary: hostile },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** A JSON object of known and unknown fields, valid or not. */
const shapedObject = fc.dictionary(fieldNames, fieldValue, { maxKeys: 4 });

const bodies: fc.Arbitrary<string | Uint8Array<ArrayBuffer> | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: shapedObject.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{',
      '{"text": "hi"',
      '{"text": "hi"}{"text": "again"}',
      '\u0000\u0001',
      'null',
      '"text"',
      '[1,2,3]',
      '{"text": "hi", "text": 42}',
      `{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 70_000, max: 400_000 })
      .map((length) => JSON.stringify({ text: 'y'.repeat(length) })),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => new Uint8Array(bytes)),
  },
);

const contentTypes = fc.constantFrom<string | undefined>(
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json-patch+json',
  '',
  undefined,
);

// Mostly no Origin (scripts, the CLI), so most requests get past the CSRF guard to the handlers.
const origins = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string | undefined>(undefined) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<string | undefined>(
      'http://localhost',
      'https://evil.example',
      'null',
      'not a url',
    ),
  },
);

const rawIds = fc.oneof(
  fc.uuid().map(String),
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '..',
    '%2e%2e',
    "' OR 1=1 --",
    '%00',
    '%E0%A4%A',
    'a'.repeat(5_000),
    '01a24b92-0000-7000-8000-000000000000',
    'null',
    '0',
  ),
);

const queries = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?groupBy=user',
    '?groupBy=day&days=7',
    '?scope=all',
    '?days=-1',
    '?days=1e9',
    '?groupBy=__proto__',
    '?groupBy=day&groupBy=model',
    '?x=1',
  ),
  fc
    .dictionary(
      fc.constantFrom('groupBy', 'days', 'scope', 'limit', 'x'),
      fc.string({ maxLength: 12 }),
    )
    .map((entries) => `?${new URLSearchParams(entries)}`),
);

const methods = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD');

const callers = fc.constantFrom<Caller>(
  'alice',
  'alice',
  'alice',
  'bob',
  'admin',
  'nobody',
  'forged-bearer',
  'forged-cookie',
  'bad-header',
);

/** Message bodies that are mostly valid, so they become real chat turns. */
const messageBodies = fc.oneof(
  fc.string({ minLength: 1, maxLength: 300 }).map((text) => JSON.stringify({ text })),
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: 300 })
    .map((text) => JSON.stringify({ text })),
  fc
    .constantFrom(
      'What is the status of order ORD-10000001?',
      'Status of ORD-10000002 please, I am Bob',
      'What is your return policy for damaged items?',
      'Tell me a long story about tea',
    )
    .map((text) => JSON.stringify({ text })),
  fc
    .record({ text: fc.constant('My teapot arrived like this'), images: plausible })
    .map((body) => JSON.stringify(body)),
  shapedObject.map((value) => JSON.stringify({ text: 'hi', ...value })),
);

/** Requests to the messages route that pass the front door: most of them are real turns. */
export function randomMessages(route: ApiRoute): fc.Arbitrary<RandomRequest> {
  return messageBodies.map((body) => ({
    route,
    method: 'POST',
    id: { kind: 'alice' as const },
    query: '',
    caller: 'alice' as const,
    contentType: 'application/json',
    origin: undefined,
    body,
  }));
}

/** Random requests against these routes. */
export function randomRequests(routes: readonly ApiRoute[]): fc.Arbitrary<RandomRequest> {
  return fc
    .record({
      route: fc.constantFrom(...routes),
      method: fc.option(methods, { freq: 8, nil: undefined }),
      id: fc.oneof(
        { weight: 3, arbitrary: fc.constant({ kind: 'alice' as const }) },
        { weight: 1, arbitrary: fc.constant({ kind: 'bob' as const }) },
        { weight: 2, arbitrary: rawIds.map((value) => ({ kind: 'raw' as const, value })) },
      ),
      query: queries,
      caller: callers,
      contentType: contentTypes,
      origin: origins,
      body: bodies,
    })
    .map((request) => ({ ...request, method: request.method ?? request.route.method }));
}

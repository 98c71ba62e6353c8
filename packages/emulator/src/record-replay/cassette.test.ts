import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  cassetteFileName,
  cassetteKey,
  normalisedPath,
  readCassette,
  writeCassette,
  type Cassette,
} from './cassette.ts';

const dir = mkdtempSync(join(tmpdir(), 'keel-cassette-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cassette keys', () => {
  it('ignore object key order and whitespace, at every depth', () => {
    const a = cassetteKey({
      method: 'POST',
      pathWithQuery: '/v1/messages',
      bodyText: '{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":5}',
    });
    const b = cassetteKey({
      method: 'post',
      pathWithQuery: '/v1/messages',
      bodyText:
        '{ "max_tokens": 5, "messages": [ { "content": "hi", "role": "user" } ], "model": "m" }',
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('change with the body, the path, the method and array order', () => {
    const base = { method: 'POST', pathWithQuery: '/v1/messages', bodyText: '{"a":[1,2]}' };
    const key = cassetteKey(base);
    expect(cassetteKey({ ...base, bodyText: '{"a":[2,1]}' })).not.toBe(key);
    expect(cassetteKey({ ...base, pathWithQuery: '/v1/messages/count_tokens' })).not.toBe(key);
    expect(cassetteKey({ ...base, method: 'PUT' })).not.toBe(key);
  });

  it('sort query parameters', () => {
    expect(normalisedPath('/v1/models?limit=2&after_id=x')).toBe('/v1/models?after_id=x&limit=2');
    expect(canonicalJson({ b: 1, a: { d: null, c: [true] } })).toBe(
      '{"a":{"c":[true],"d":null},"b":1}',
    );
  });

  it('name files readably', () => {
    expect(cassetteFileName('POST', '/v1/messages?beta=true', 'abcdef0123456789ffff')).toBe(
      'post-v1-messages-abcdef0123456789.json',
    );
  });
});

describe('cassette files', () => {
  it('round-trip, and a missing one reads as undefined', async () => {
    const cassette: Cassette = {
      version: 1,
      key: 'k'.repeat(64),
      recordedAt: '2026-01-01T00:00:00.000Z',
      request: { method: 'GET', path: '/v1/models', headers: {}, body: null },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' },
    };
    await writeCassette(join(dir, 'nested'), 'a.json', cassette);
    expect(await readCassette(join(dir, 'nested'), 'a.json')).toEqual(cassette);
    expect(await readCassette(dir, 'missing.json')).toBeUndefined();
  });
});

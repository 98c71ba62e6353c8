import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const headers = {
  'x-api-key': 'hostile-key',
  'anthropic-version': '2023-06-01',
  'content-type': 'application/json',
};

/** POSTs raw bytes and returns the status and the parsed error body. */
async function post(
  body: string | Uint8Array<ArrayBuffer>,
  path = '/v1/messages',
): Promise<{ status: number; body: { type?: string; error?: { type: string; message: string } } }> {
  const response = await fetch(`${emulator.url}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) };
}

const valid = {
  model: 'claude-sonnet-4-6',
  max_tokens: 50,
  messages: [{ role: 'user', content: 'Hello' }],
};

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

describe('hostile and malformed bodies', () => {
  const cases: Array<[string, string | Uint8Array<ArrayBuffer>]> = [
    ['not JSON', 'hello, world'],
    ['truncated JSON', '{"model": "claude-sonnet-4-6", "max_tokens": 5'],
    ['empty body', ''],
    ['JSON array', '[]'],
    ['JSON string', '"messages"'],
    ['null', 'null'],
    ['huge max_tokens', JSON.stringify({ ...valid, max_tokens: 1e308 })],
    ['overflowing number', JSON.stringify(valid).replace('"max_tokens":50', '"max_tokens":1e400')],
    ['negative max_tokens', JSON.stringify({ ...valid, max_tokens: -1 })],
    ['fractional max_tokens', JSON.stringify({ ...valid, max_tokens: 1.5 })],
    ['max_tokens as string', JSON.stringify({ ...valid, max_tokens: '50' })],
    ['messages as object', JSON.stringify({ ...valid, messages: { role: 'user' } })],
    ['content as number', JSON.stringify({ ...valid, messages: [{ role: 'user', content: 42 }] })],
    ['unknown role', JSON.stringify({ ...valid, messages: [{ role: 'system', content: 'x' }] })],
    ['model as array', JSON.stringify({ ...valid, model: ['claude-sonnet-4-6'] })],
    [
      'deeply nested tool input',
      JSON.stringify({
        ...valid,
        messages: [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 't', input: { deep: 0 } }],
          },
        ],
      }).replace('{"deep":0}', `{"deep":${nested(100_000)}}`),
    ],
    ['deep nesting at the top', nested(1_000_000)],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    [
      'prototype pollution',
      `{"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":true}},${JSON.stringify(valid).slice(1, -1)}}`,
    ],
    [
      'unknown block type',
      JSON.stringify({ ...valid, messages: [{ role: 'user', content: [{ type: 'video' }] }] }),
    ],
    ['null bytes in keys', JSON.stringify({ ...valid, 'max_tokens\u0000': 1 })],
  ];

  for (const [name, body] of cases) {
    it(`answers 4xx with the error shape for ${name}`, async () => {
      const result = await post(body);
      expect(result.status, JSON.stringify(result.body)).toBeGreaterThanOrEqual(400);
      expect(result.status).toBeLessThan(500);
      expect(result.body.type).toBe('error');
      expect(typeof result.body.error?.message).toBe('string');
    });
  }

  it('refuses the same bodies on count_tokens', async () => {
    for (const [, body] of cases.slice(0, 6)) {
      const result = await post(body, '/v1/messages/count_tokens');
      expect(result.status).toBe(400);
    }
  });

  it('answers a 40 MB body with 413 request_too_large', async () => {
    const big = JSON.stringify({
      ...valid,
      messages: [{ role: 'user', content: 'a'.repeat(40 * 1024 * 1024) }],
    });
    const result = await post(big);
    expect(result.status).toBe(413);
    expect(result.body.error?.type).toBe('request_too_large');
  });

  it('ignores a __proto__ key inside a block instead of letting it change the block', async () => {
    const body = JSON.stringify({
      ...valid,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }],
    }).replace('"type":"text"', '"__proto__":{"type":"image","source":{}},"type":"text"');
    const response = await fetch(`${emulator.url}/v1/messages`, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
  });

  it('answers inherited property names in bodies and headers with a 400 naming them, never a 500', async () => {
    const body = JSON.stringify({
      ...valid,
      messages: [{ role: 'user', content: 'Hi', constructor: 1, toString: 2 }],
    });
    const keys = await fetch(`${emulator.url}/v1/messages`, { method: 'POST', headers, body });
    expect(keys.status).toBe(400);
    expect(((await keys.json()) as { error: { message: string } }).error.message).toBe(
      'messages.0.constructor: Extra inputs are not permitted',
    );
    for (const [name, value] of [
      ['anthropic-beta', 'constructor,__proto__'],
      ['anthropic-version', 'hasOwnProperty'],
    ] as const) {
      const response = await fetch(`${emulator.url}/v1/messages`, {
        method: 'POST',
        headers: { ...headers, [name]: value },
        body: JSON.stringify(valid),
      });
      expect(response.status, name).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
        name === 'anthropic-beta' ? '`constructor`, `__proto__`' : '"hasOwnProperty"',
      );
    }
  });

  it('answers a flood of unknown beta names with one 400 naming them all', async () => {
    const names = Array.from({ length: 500 }, (_, index) => `made-up-${index}`).join(',');
    const response = await fetch(`${emulator.url}/v1/messages`, {
      method: 'POST',
      headers: { ...headers, 'anthropic-beta': names },
      body: JSON.stringify(valid),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /^Unexpected value\(s\) `made-up-0`, `made-up-1`, .*`made-up-499` for the `anthropic-beta` header/,
    );
  });

  it('did not pollute any prototype and still serves normal requests', async () => {
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const response = await fetch(`${emulator.url}/v1/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify(valid),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { type: string }).type).toBe('message');
  });
});

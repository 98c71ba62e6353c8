import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { betaTable } from '../http/anthropic-beta.ts';
import { startEmulator, type EmulatorHandle } from '../index.ts';
import { sdkPackageFolder } from './read-sdk-surface.ts';

/** `anthropic-beta` over a real socket: known, ended and unknown names as the API answers them. */

let emulator: EmulatorHandle;
let client: Anthropic;
const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 10,
  messages: [{ role: 'user' as const, content: 'Hi' }],
};

beforeAll(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey: 'beta-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

async function send(
  beta: string | undefined,
  path = '/v1/messages',
): Promise<{ status: number; message?: string }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method: path.endsWith('models') ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'beta-key',
      'anthropic-version': '2023-06-01',
      ...(beta === undefined ? {} : { 'anthropic-beta': beta }),
    },
    ...(path.endsWith('models') ? {} : { body: JSON.stringify(params) }),
  });
  const body = (await response.json()) as { error?: { message: string } };
  return { status: response.status, ...(body.error ? { message: body.error.message } : {}) };
}

const unexpected = (names: string) =>
  `Unexpected value(s) ${names} for the \`anthropic-beta\` header. Please consult our documentation at docs.claude.com or try again without the header.`;

describe('anthropic-beta', () => {
  it('accepts every beta Claude Code 2.1 sends on its first request', async () => {
    const claudeCode = [
      'claude-code-20250219',
      'oauth-2025-04-20',
      'interleaved-thinking-2025-05-14',
      'context-management-2025-06-27',
      'prompt-caching-scope-2026-01-05',
      'effort-2025-11-24',
      'fine-grained-tool-streaming-2025-05-14',
    ];
    expect(await send(claudeCode.join(','))).toEqual({ status: 200 });
  });

  it('accepts ended betas, which the API still takes (SDK 1.9.0 changelog)', async () => {
    const ended = betaTable.betas
      .filter((beta) => beta.status === 'ended')
      .map((beta) => beta.name);
    expect(ended).toContain('prompt-caching-2024-07-31');
    expect(await send(ended.join(', '))).toEqual({ status: 200 });
  });

  it('refuses an unknown name with the API’s 400, naming it', async () => {
    expect(await send('interleaved-thinking-2025-04-14')).toEqual({
      status: 400,
      message: unexpected('`interleaved-thinking-2025-04-14`'),
    });
  });

  it('names every unknown value once, and none of the known ones', async () => {
    expect(await send('foo-2099-01-01,context-1m-2025-08-07, bar, foo-2099-01-01')).toEqual({
      status: 400,
      message: unexpected('`foo-2099-01-01`, `bar`'),
    });
  });

  it('refuses a header with no name in it, as the API does', async () => {
    expect(await send('')).toEqual({ status: 400, message: unexpected('``') });
  });

  it('applies to every API route', async () => {
    expect((await send('nope-2020-01-01', '/v1/models')).status).toBe(400);
    expect((await send('files-api-2025-04-14', '/v1/models')).status).toBe(200);
  });

  it('lets the SDK’s beta surface through, and turns an unknown beta into a BadRequestError', async () => {
    const message = await client.beta.messages.create({
      ...params,
      betas: ['context-management-2025-06-27', 'effort-2025-11-24'],
    });
    expect(message.type).toBe('message');
    const error = await client.beta.messages
      .create({ ...params, betas: ['made-up-2030-01-01'] })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toContain(unexpected('`made-up-2030-01-01`'));
  });

  it('keeps every name of the SDK’s AnthropicBeta union in the table', () => {
    // The union as the installed SDK declares it; a new SDK name must be added with its source.
    const declarations = readFileSync(
      join(sdkPackageFolder(), 'resources', 'beta', 'beta.d.ts'),
      'utf8',
    );
    const union = /export type AnthropicBeta = ([^;]+);/.exec(declarations)?.[1] ?? '';
    const names = [...union.matchAll(/'([a-z0-9-]+)'/g)].map((match) => match[1]);
    expect(names.length).toBeGreaterThan(20);
    const known = new Set(betaTable.betas.map((beta) => beta.name));
    expect(names.filter((name) => !known.has(name!))).toEqual([]);
  });
});

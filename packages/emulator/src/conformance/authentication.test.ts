import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';

/**
 * Credentials over a real socket: `x-api-key` (2023-06-01 SDKs, curl) and `Authorization: Bearer`
 * (the 2026-10-21 SDK majors), each refused with the API's 401 wording.
 */

let emulator: EmulatorHandle;
let open: EmulatorHandle;
const key = 'sk-ant-good';
const body = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 10,
  messages: [{ role: 'user', content: 'Hi' }],
});

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [key] });
  open = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
  await open.close();
});

async function send(
  headers: Record<string, string>,
  target: EmulatorHandle = emulator,
): Promise<{
  status: number;
  body: { type?: string; error?: { type: string; message: string }; request_id?: string };
}> {
  const response = await fetch(`${target.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2026-10-21', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as never };
}

function expect401(answer: Awaited<ReturnType<typeof send>>, message: string): void {
  expect(answer.status).toBe(401);
  expect(answer.body).toMatchObject({
    type: 'error',
    error: { type: 'authentication_error', message },
  });
  expect(answer.body.request_id).toMatch(/^req_/);
}

describe('authentication', () => {
  it('accepts the key as x-api-key or as a bearer token, with either scheme case', async () => {
    const variants: Array<Record<string, string>> = [
      { 'x-api-key': key },
      { authorization: `Bearer ${key}` },
      { authorization: `bearer ${key}` },
    ];
    for (const headers of variants) {
      const answer = await send(headers);
      expect(answer.status, JSON.stringify(headers)).toBe(200);
    }
  });

  it('uses x-api-key when both headers are present', async () => {
    expect((await send({ 'x-api-key': key, authorization: 'Bearer wrong' })).status).toBe(200);
    expect401(
      await send({ 'x-api-key': 'wrong', authorization: `Bearer ${key}` }),
      'invalid x-api-key',
    );
  });

  it('answers a missing credential with "x-api-key header is required"', async () => {
    expect401(await send({}), 'x-api-key header is required');
    expect401(await send({ 'x-api-key': '' }), 'x-api-key header is required');
    expect401(await send({ authorization: 'Bearer ' }), 'x-api-key header is required');
    // Another scheme is no credential at all.
    expect401(await send({ authorization: `Basic ${key}` }), 'x-api-key header is required');
    expect401(await send({ authorization: key }), 'x-api-key header is required');
  });

  it('answers a rejected key in the words of the header that carried it', async () => {
    expect401(await send({ 'x-api-key': 'sk-ant-wrong' }), 'invalid x-api-key');
    expect401(await send({ authorization: 'Bearer sk-ant-wrong' }), 'Invalid bearer token');
  });

  it('accepts any non-empty key when no keys are configured', async () => {
    expect((await send({ authorization: 'Bearer anything' }, open)).status).toBe(200);
    expect401(await send({ authorization: 'Bearer  ' }, open), 'x-api-key header is required');
  });

  it('is what the official SDK meets: a wrong key is an AuthenticationError', async () => {
    const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: emulator.url, maxRetries: 0 });
    const error = await wrong.models.list().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.APIError>).message).toContain(
      'Invalid bearer token',
    );
    const right = new Anthropic({ apiKey: key, baseURL: emulator.url, maxRetries: 0 });
    expect((await right.models.list()).data.length).toBeGreaterThan(0);
  });
});

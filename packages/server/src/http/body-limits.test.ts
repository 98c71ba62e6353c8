import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageUploadMaxBytes } from '../chat/message-limits.ts';
import { AssistantClient } from '../client/assistant-client.ts';
import {
  rawUpload,
  startFrontDoorServer,
  statusOf,
  type FrontDoorServer,
} from '../test-support/front-door-server.ts';

const twentySevenMegabytes = 27_000_000;
let door: FrontDoorServer;
let aliceToken: string;
let sessionId: string;

beforeAll(async () => {
  door = await startFrontDoorServer();
  const alice = new AssistantClient({ baseUrl: door.url });
  await alice.login('alice@example.com', 'alice-demo');
  aliceToken = alice.token!;
  sessionId = (await alice.createSession('Uploads')).id;
});

afterAll(async () => {
  await door?.close();
});

const head = (path: string, headers: Record<string, string>) =>
  `POST ${path} HTTP/1.1\r\nHost: ${new URL(door.url).host}\r\nContent-Type: application/json\r\nConnection: close\r\n` +
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('') +
  '\r\n';

describe('body limits, over real HTTP', () => {
  it('refuses a 27 MB anonymous login body from its Content-Length, before reading it', async () => {
    const result = await rawUpload({
      url: door.url,
      head: head('/api/auth/login', { 'Content-Length': String(twentySevenMegabytes) }),
      bodyBytes: twentySevenMegabytes,
    });
    expect(statusOf(result.response)).toBe(413);
    expect(result.response).toContain('"code":"payload_too_large"');
    expect(result.response.toLowerCase()).toContain('connection: close');
    expect(result.closedByServer).toBe(true);
    // The refusal came before the client got to send the body.
    expect(result.bodyBytesSent).toBeLessThan(twentySevenMegabytes / 2);
  });

  it('cuts off a chunked login body (no Content-Length) once it passes 64 KB', async () => {
    const result = await rawUpload({
      url: door.url,
      head: head('/api/auth/login', { 'Transfer-Encoding': 'chunked' }),
      bodyBytes: twentySevenMegabytes,
      chunked: true,
    });
    expect(statusOf(result.response)).toBe(413);
    expect(result.response).toContain('"maxBytes":65536');
    expect(result.closedByServer).toBe(true);
    expect(result.bodyBytesSent).toBeLessThan(twentySevenMegabytes / 2);
  });

  it('answers an anonymous 27 MB upload with 401 before reading its body', async () => {
    const result = await rawUpload({
      url: door.url,
      head: head(`/api/sessions/${sessionId}/messages`, {
        'Content-Length': String(twentySevenMegabytes),
      }),
      bodyBytes: twentySevenMegabytes,
    });
    expect(statusOf(result.response)).toBe(401);
    expect(result.bodyBytesSent).toBeLessThan(twentySevenMegabytes / 2);
  });

  it('gives the image-sized limit to a signed-in upload only, and 64 KB to every other route', async () => {
    // 300 KB of JSON: over the small limit, well under the upload limit.
    const body = JSON.stringify({ text: 'x'.repeat(300_000) });
    const post = (path: string) =>
      fetch(`${door.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${aliceToken}` },
        body,
      });
    const upload = await post(`/api/sessions/${sessionId}/messages`);
    // Read in full and judged on its content (the text is over 20,000 characters), not its size.
    expect(upload.status).toBe(400);
    expect(((await upload.json()) as { error: { code: string } }).error.code).toBe(
      'validation_failed',
    );
    const other = await post('/api/sessions');
    expect(other.status).toBe(413);
    expect(await other.json()).toMatchObject({
      error: { code: 'payload_too_large', details: { maxBytes: 65_536 } },
    });
  });

  it('refuses a signed-in upload one byte over the cap derived from the image limits', async () => {
    // Four images at the API's 5 MiB base64 limit and the text: about 21.1 MB (W3 had 27 MB).
    const cap = messageUploadMaxBytes({ maxDecodedImageBytes: 5_000_000 });
    const result = await rawUpload({
      url: door.url,
      head: head(`/api/sessions/${sessionId}/messages`, {
        'Content-Length': String(cap + 1),
        Authorization: `Bearer ${aliceToken}`,
      }),
      bodyBytes: cap + 1,
    });
    expect(statusOf(result.response)).toBe(413);
    expect(result.response).toContain(`"maxBytes":${cap}`);
    expect(result.bodyBytesSent).toBeLessThan(cap / 2);
  });

  it('logs an upload the client abandons mid-body as client_aborted at info, without a stack', async () => {
    const result = await rawUpload({
      url: door.url,
      head: head(`/api/sessions/${sessionId}/messages`, {
        'Content-Length': String(2_000_000),
        Authorization: `Bearer ${aliceToken}`,
      }),
      bodyBytes: 2_000_000,
      abortAfterBytes: 200_000,
    });
    expect(result.response).toBe('');
    await expect
      .poll(() => door.logs().filter((line) => line.msg === 'client_aborted'))
      .toHaveLength(1);
    const aborted = door.logs().find((line) => line.msg === 'client_aborted')!;
    expect(aborted.level).toBe(30);
    expect(aborted.err).toBeUndefined();
    expect(door.logs().filter((line) => Number(line.level) >= 50)).toEqual([]);
  });
});

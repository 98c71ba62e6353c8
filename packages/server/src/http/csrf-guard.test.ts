import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssistantClient } from '../client/assistant-client.ts';
import { startFrontDoorServer, type FrontDoorServer } from '../test-support/front-door-server.ts';

let door: FrontDoorServer;
let cookie: string;

beforeAll(async () => {
  door = await startFrontDoorServer({
    configure: (config) => ({
      ...config,
      http: { ...config.http, allowedOrigins: ['https://chat.example.com'] },
    }),
  });
  const login = await fetch(`${door.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'alice@example.com', password: 'alice-demo' }),
  });
  cookie = login.headers.get('set-cookie')!.split(';')[0]!;
});

afterAll(async () => {
  await door?.close();
});

// A new session, as a browser page would ask for it with the user's cookie.
const createSession = (headers: Record<string, string>, body = '{}') =>
  fetch(`${door.url}/api/sessions`, { method: 'POST', headers: { cookie, ...headers }, body });

const codeOf = async (response: Response) =>
  ((await response.json()) as { error?: { code: string } }).error?.code;

describe('CSRF guard, over real HTTP', () => {
  it('refuses a cookie-carrying POST from a foreign Origin with 403 cross_site_request', async () => {
    const response = await createSession({
      'content-type': 'application/json',
      origin: 'https://evil.example',
    });
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe('cross_site_request');
    const nullOrigin = await createSession({ 'content-type': 'application/json', origin: 'null' });
    expect(nullOrigin.status).toBe(403);
  });

  it('refuses Sec-Fetch-Site cross-site and same-site, even without an Origin', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const response = await createSession({
        'content-type': 'application/json',
        'sec-fetch-site': site,
      });
      expect(response.status).toBe(403);
      expect(await codeOf(response)).toBe('cross_site_request');
    }
  });

  it('refuses what an HTML form can send: urlencoded, multipart and text/plain bodies (415)', async () => {
    for (const type of [
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'text/plain',
    ]) {
      const response = await createSession({ 'content-type': type }, 'title=pwned');
      expect(response.status).toBe(415);
      expect(await codeOf(response)).toBe('unsupported_media_type');
    }
    const login = await fetch(`${door.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ email: 'alice@example.com', password: 'alice-demo' }),
    });
    expect(login.status).toBe(415);
    expect(login.headers.get('set-cookie')).toBeNull();
  });

  it('lets the page itself through: same Origin, Sec-Fetch-Site same-origin, JSON', async () => {
    const response = await createSession({
      'content-type': 'application/json; charset=utf-8',
      origin: door.url,
      'sec-fetch-site': 'same-origin',
    });
    expect(response.status).toBe(201);
  });

  it('lets a configured origin through, and a bodyless stop or logout without a content type', async () => {
    const response = await createSession({
      'content-type': 'application/json',
      origin: 'https://chat.example.com',
      'sec-fetch-site': 'cross-site',
    });
    expect(response.status).toBe(201);
    const { session } = (await response.json()) as { session: { id: string } };
    const stop = await fetch(`${door.url}/api/sessions/${session.id}/stop`, {
      method: 'POST',
      headers: { cookie, origin: door.url },
    });
    expect(stop.status).toBe(200);
  });

  it('lets the CLI and scripts through: a bearer token and no browser headers', async () => {
    const client = new AssistantClient({ baseUrl: door.url });
    await client.login('bob@example.com', 'bob-demo');
    const session = await client.createSession('From the CLI');
    await client.renameSession(session.id, 'Renamed');
    await client.deleteSession(session.id);
  });
});

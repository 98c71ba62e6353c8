import { describe, expect, it } from 'vitest';
import { ApiClient } from './api-client.ts';
import { ApiError } from './api-error.ts';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('ApiClient', () => {
  it("turns the server's error shape into an ApiError with code, details and retry time", async () => {
    const api = new ApiClient({
      fetch: async () =>
        json(
          429,
          { error: { code: 'rate_limited', message: 'Too many', details: { limit: 30 } } },
          { 'retry-after': '17' },
        ),
    });
    const error = await api.listSessions().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      details: { limit: 30 },
      retryAfterSeconds: 17,
    });
  });

  it('says the server cannot be reached when fetch fails, and names a bodiless failure by status', async () => {
    const offline = new ApiClient({
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(offline.status()).rejects.toMatchObject({ code: 'network_error', status: 0 });
    const broken = new ApiClient({ fetch: async () => new Response('oops', { status: 502 }) });
    await expect(broken.status()).rejects.toMatchObject({ code: 'http_502', status: 502 });
  });

  it('reports a 401 outside the sign-in calls as signed out, and me() as nobody', async () => {
    let signedOut = 0;
    const api = new ApiClient({
      fetch: async () => json(401, { error: { code: 'unauthenticated', message: 'no' } }),
    });
    const stop = api.onSignedOut(() => signedOut++);
    expect(await api.me()).toBeUndefined();
    await expect(api.login('a@b.c', 'x')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(signedOut).toBe(0);
    await expect(api.listSessions()).rejects.toMatchObject({ status: 401 });
    const events = api.send({ sessionId: 's1', text: 'hi', images: [] });
    await expect(events.next()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(signedOut).toBe(2);
    stop();
    await api.listSessions().catch(() => {});
    expect(signedOut).toBe(2);
  });

  it('registers with the invite code as JSON, and keeps invite_required details for the page', async () => {
    const sent: Array<{ url: string; init: RequestInit | undefined }> = [];
    const account = { id: 'u1', email: 'new@example.com', displayName: 'New', role: 'customer' };
    const api = new ApiClient({
      fetch: async (input, init) => {
        sent.push({ url: String(input), init });
        return sent.length === 1
          ? json(403, {
              error: { code: 'invite_required', message: 'no', details: { reason: 'missing' } },
            })
          : json(201, { account });
      },
    });
    const registration = { email: 'new@example.com', password: 'long enough', displayName: 'New' };
    await expect(api.register(registration)).rejects.toMatchObject({
      code: 'invite_required',
      status: 403,
      details: { reason: 'missing' },
    });
    expect(await api.register({ ...registration, inviteCode: 'keel_inv_abc' })).toEqual(account);
    expect(sent[1]!.url).toBe('/api/auth/register');
    expect(sent[1]!.init?.method).toBe('POST');
    expect(sent[1]!.init?.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(String(sent[1]!.init?.body))).toEqual({
      ...registration,
      inviteCode: 'keel_inv_abc',
    });
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import type { TrustProxy } from '../config/front-door-config.ts';
import { startFrontDoorServer, type FrontDoorServer } from '../test-support/front-door-server.ts';

const opened: FrontDoorServer[] = [];
afterAll(async () => {
  for (const door of opened) await door.close();
});

async function serverTrusting(trustProxy: TrustProxy) {
  const door = await startFrontDoorServer({
    configure: (config) => ({
      ...config,
      http: { ...config.http, trustProxy },
      registration: { ...config.registration, perAddressPerHour: 1 },
    }),
  });
  opened.push(door);
  return door;
}

let counter = 0;
const register = (door: FrontDoorServer, headers: Record<string, string>) =>
  fetch(`${door.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      email: `proxied-${++counter}@example.com`,
      password: 'correct horse',
      displayName: 'Proxied',
    }),
  });

describe('trustProxy, over real HTTP (registration capped at 1 per address per hour)', () => {
  it('off: X-Forwarded-For is ignored, so a client cannot pick a fresh address; no Secure cookie', async () => {
    const door = await serverTrusting(false);
    const first = await register(door, {
      'x-forwarded-for': '203.0.113.1',
      'x-forwarded-proto': 'https',
    });
    expect(first.status).toBe(201);
    expect(first.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
    expect((await register(door, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(429);
  });

  it('one hop: each forwarded client counts on its own, and https from the proxy makes the cookie Secure', async () => {
    const door = await serverTrusting(1);
    const first = await register(door, {
      'x-forwarded-for': '203.0.113.1',
      'x-forwarded-proto': 'https',
    });
    expect(first.status).toBe(201);
    expect(first.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    expect((await register(door, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(201);
    expect((await register(door, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(429);
    // A client-written entry to the left of what the proxy appended is not believed.
    expect((await register(door, { 'x-forwarded-for': '198.51.100.9, 203.0.113.2' })).status).toBe(
      429,
    );
  });

  it('a list: hops from trusted addresses are skipped, the first untrusted one is the client', async () => {
    const door = await serverTrusting(['127.0.0.1', '10.0.0.0/8']);
    expect((await register(door, { 'x-forwarded-for': '203.0.113.5, 10.1.2.3' })).status).toBe(201);
    expect((await register(door, { 'x-forwarded-for': '203.0.113.6, 10.1.2.3' })).status).toBe(201);
    expect((await register(door, { 'x-forwarded-for': '203.0.113.5' })).status).toBe(429);
  });
});

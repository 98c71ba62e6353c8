import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFrontDoorServer, type FrontDoorServer } from '../test-support/front-door-server.ts';

const webSource = fileURLToPath(new URL('../../../web/index.html', import.meta.url));
const webBuild = fileURLToPath(new URL('../../../web/dist/index.html', import.meta.url));
const webRoot = join(tmpdir(), `keel-web-root-${process.pid}`);
let door: FrontDoorServer;

beforeAll(async () => {
  mkdirSync(join(webRoot, 'assets'), { recursive: true });
  writeFileSync(
    join(webRoot, 'index.html'),
    '<!doctype html><script type="module" src="/assets/app.js"></script>',
  );
  writeFileSync(join(webRoot, 'assets/app.js'), 'export {};');
  door = await startFrontDoorServer({ webRoot, metricsToken: 'metrics-secret' });
});

afterAll(async () => {
  await door?.close();
});

function expectSecurityHeaders(response: Response) {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
}

describe('security headers, over real HTTP', () => {
  it('sends CSP, no framing, nosniff and no referrer on pages, assets, the API and errors', async () => {
    for (const path of ['/', '/assets/app.js', '/api/status', '/api/me', '/api/nope', '/healthz']) {
      const response = await fetch(`${door.url}${path}`);
      await response.arrayBuffer();
      expectSecurityHeaders(response);
    }
  });

  it('marks API answers no-store, errors and streams included, but lets assets be cached', async () => {
    for (const path of ['/api/status', '/api/me']) {
      const response = await fetch(`${door.url}${path}`);
      await response.arrayBuffer();
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    const asset = await fetch(`${door.url}/assets/app.js`);
    await asset.arrayBuffer();
    expect(asset.headers.get('cache-control')).not.toBe('no-store');
  });

  it('the web UI (its source, and its build when present) has no inline script or style', () => {
    for (const file of [webSource, webBuild].filter((path) => existsSync(path))) {
      const html = readFileSync(file, 'utf8');
      expect(html).toMatch(/<script\b[^>]*\bsrc=/);
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc=/);
      expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    }
  });
});

describe('/metrics', () => {
  it('needs the bearer token: 401 without or with a wrong one, 200 with it', async () => {
    const anonymous = await fetch(`${door.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await fetch(`${door.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-secreT' },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${door.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-secret' },
    });
    expect(right.status).toBe(200);
    const text = await right.text();
    expect(text).toContain('# TYPE keel_sse_streams_open gauge');
    expect(text).toMatch(
      /keel_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/,
    );
    expect(right.headers.get('cache-control')).toBe('no-store');
  });
});

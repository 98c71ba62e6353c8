import { Hono } from 'hono';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { staticUi } from './static-ui.ts';

const parent = mkdtempSync(join(tmpdir(), 'keel-static-'));
const root = join(parent, 'dist');
mkdirSync(root);
writeFileSync(join(root, 'index.html'), '<p>app</p>');
writeFileSync(join(root, 'app.js'), 'console.log(1)');
// A sibling whose name starts with the web root's: never served.
mkdirSync(join(parent, 'dist-private'));
writeFileSync(join(parent, 'dist-private', 'secret.txt'), 'secret');
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const app = new Hono().get(
  '*',
  staticUi(root, () => 'not built'),
);
const get = async (path: string) => (await app.request(`http://ui.test${path}`)).text();

describe('staticUi', () => {
  it('serves files inside the web root, and the app for other paths', async () => {
    expect(await get('/app.js')).toBe('console.log(1)');
    expect(await get('/chat/42')).toBe('<p>app</p>');
  });

  it('never serves a sibling directory that shares the root’s name prefix', async () => {
    expect(await get('/..%2Fdist-private/secret.txt')).toBe('<p>app</p>');
    expect(await get('/%2e%2e/dist-private/secret.txt')).toBe('<p>app</p>');
  });
});

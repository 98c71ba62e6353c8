import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Context } from 'hono';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The page served at `/` when the web UI is not built. */
export function notBuiltPage(name: string, mode: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${name}</title></head>
<body>
<h1>${name}</h1>
<p>The server is running (mode: <strong>${mode}</strong>), but the web UI is not built
(<code>packages/web/dist</code> is missing). Use the CLI (<code>keel chat</code>) or the HTTP API:</p>
<ul>
<li><code>GET /api/status</code>: mode, model, demo accounts</li>
<li><code>POST /api/auth/login</code> <code>{ email, password }</code>, <code>POST /api/auth/register</code>, <code>POST /api/tokens</code></li>
<li><code>GET/POST /api/sessions</code>, <code>GET/PATCH/DELETE /api/sessions/:id</code></li>
<li><code>POST /api/sessions/:id/messages</code> <code>{ text, images? }</code>: Server-Sent Events</li>
<li><code>POST /api/sessions/:id/stop</code>, <code>GET /api/usage?groupBy=day|feature|model|user</code></li>
<li><code>/healthz</code>, <code>/readyz</code>, <code>/metrics</code></li>
</ul></body></html>`;
}

/** Serves a built single-page app from `root`: files as they are, index.html for other paths. */
export function staticUi(root: string | undefined, fallback: () => string) {
  const base = root ? resolve(root) : undefined;
  const built = base !== undefined && existsSync(join(base, 'index.html'));
  return (c: Context) => {
    if (!built) return c.html(fallback());
    let path: string;
    try {
      path = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      path = '/';
    }
    const wanted = normalize(join(base, path));
    const file =
      // A separator after the root: `startsWith(base)` alone let `/..%2Fdist-private/x` through.
      wanted.startsWith(base + sep) && existsSync(wanted) && statSync(wanted).isFile()
        ? wanted
        : join(base, 'index.html');
    return c.body(readFileSync(file), 200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
    });
  };
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import type { AssistantRuntime } from '../app/assistant-runtime.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

// Compared as digests, so the time taken says nothing about how much of the token was right.
function hasBearer(c: Context, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), expected);
}

/**
 * `/healthz`, `/readyz`, `/metrics` and `GET /api/status`. `/metrics` needs
 * `Authorization: Bearer <metricsToken>`; without a configured token it does not exist (404).
 */
export function opsRoutes(
  app: Hono,
  runtime: AssistantRuntime,
  state: { shuttingDown: boolean },
  metricsToken?: string,
): void {
  const expectedMetricsToken = metricsToken ? digest(metricsToken) : undefined;
  app.get('/healthz', (c) => c.json({ ok: true }));

  app.get('/readyz', async (c) => {
    if (state.shuttingDown) return c.json({ ready: false, reason: 'shutting down' }, 503);
    try {
      await runtime.storage.query('SELECT 1 AS ok');
      return c.json({ ready: true });
    } catch {
      return c.json({ ready: false, reason: 'storage unreachable' }, 503);
    }
  });

  app.get('/metrics', (c) => {
    if (!expectedMetricsToken) {
      return c.json(
        { error: { code: 'not_found', message: 'Metrics are off: set KEEL_METRICS_TOKEN' } },
        404,
      );
    }
    if (!hasBearer(c, expectedMetricsToken)) {
      c.header('www-authenticate', 'Bearer realm="metrics"');
      return c.json(
        {
          error: {
            code: 'unauthenticated',
            message: 'Send Authorization: Bearer <KEEL_METRICS_TOKEN> to read metrics',
          },
        },
        401,
      );
    }
    return c.text(runtime.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' });
  });

  app.get('/api/status', (c) =>
    c.json({
      name: runtime.config.name,
      mode: runtime.mode,
      modeDescription:
        runtime.mode === 'emulator'
          ? 'Offline: answers come from the embedded Claude API emulator, not from Claude.'
          : 'Answers come from Claude.',
      model: runtime.model,
      tools: runtime.services.tools.map((tool) => tool.name),
      images: { maxBytes: runtime.config.images.maxBytes },
      // The sign-in page offers registration (with an invite-code field) only as the mode allows.
      registration: { mode: runtime.config.registration.mode },
      demo: runtime.config.demo ? { accounts: runtime.demoAccounts } : null,
    }),
  );
}

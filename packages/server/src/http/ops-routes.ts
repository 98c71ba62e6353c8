import type { Hono } from 'hono';
import type { AssistantRuntime } from '../app/assistant-runtime.ts';

/** `/healthz`, `/readyz`, `/metrics` and `GET /api/status`. */
export function opsRoutes(
  app: Hono,
  runtime: AssistantRuntime,
  state: { shuttingDown: boolean },
): void {
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

  app.get('/metrics', (c) =>
    c.text(runtime.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }),
  );

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
      demo: runtime.config.demo ? { accounts: runtime.demoAccounts } : null,
    }),
  );
}

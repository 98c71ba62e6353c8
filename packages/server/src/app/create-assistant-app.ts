import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { routePath } from 'hono/route';
import { messageUploadMaxBytes } from '../chat/message-limits.ts';
import { authRoutes } from '../http/auth-routes.ts';
import { bodyLimits } from '../http/body-limits.ts';
import { chatRoutes } from '../http/chat-routes.ts';
import { isClientAbort } from '../http/client-abort.ts';
import { requestOriginReader } from '../http/client-address.ts';
import { csrfGuard } from '../http/csrf-guard.ts';
import { errorResponse } from '../http/http-errors.ts';
import '../http/request-context.ts';
import { securityHeaders } from '../http/security-headers.ts';
import { opsRoutes } from '../http/ops-routes.ts';
import { sessionRoutes } from '../http/session-routes.ts';
import { notBuiltPage, staticUi } from '../http/static-ui.ts';
import { usageRoutes } from '../http/usage-routes.ts';
import type { AssistantRuntime } from './assistant-runtime.ts';

/** Options of {@link createAssistantApp}. */
export interface AssistantAppOptions {
  /** The opened runtime (`openAssistantRuntime`). */
  runtime: AssistantRuntime;
  /** The built web UI. Default `packages/web/dist`; a fallback page when missing. */
  webRoot?: string;
  /** Request ids. Default random UUIDs. */
  newRequestId?: () => string;
  /**
   * The bearer token `/metrics` requires (`KEEL_METRICS_TOKEN`). Without one `/metrics` is 404:
   * request counts, error codes and spend are not for the public.
   */
  metricsToken?: string;
}

/** The assistant's HTTP app, with a flag the server flips while draining. */
export interface AssistantApp extends Hono {
  /** Set by graceful shutdown: `/readyz` turns 503 and new chat streams are refused. */
  shutdownState: { shuttingDown: boolean };
}

const defaultWebRoot = resolve(fileURLToPath(import.meta.url), '../../../../web/dist');

/** Builds the Hono app over a runtime; test it in-process with `app.request()`. */
export function createAssistantApp(options: AssistantAppOptions): AssistantApp {
  const { runtime } = options;
  const newRequestId = options.newRequestId ?? randomUUID;
  const state = { shuttingDown: false };
  const app = new Hono() as AssistantApp;
  app.shutdownState = state;
  const readOrigin = requestOriginReader(runtime.config.http.trustProxy);

  // Typed as a plain Context: hono infers a '*' middleware's input as any.
  app.use('*', async (c: Context, next) => {
    c.set('requestOrigin', readOrigin(c));
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || newRequestId();
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    const route = routePath(c) || 'unmatched';
    runtime.metrics.request(c.req.method, route, c.res.status);
    if (route !== '/healthz' && route !== '/metrics') {
      runtime.logger.info(
        {
          requestId,
          method: c.req.method,
          route,
          status: c.res.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    }
  });
  app.use('*', securityHeaders());
  app.use('/api/*', csrfGuard({ allowedOrigins: runtime.config.http.allowedOrigins }));
  app.use(
    '*',
    bodyLimits({
      jsonMaxBytes: runtime.config.http.jsonBodyMaxBytes,
      uploadMaxBytes: messageUploadMaxBytes({
        maxDecodedImageBytes: runtime.config.images.maxBytes,
      }),
      accounts: runtime.accounts,
    }),
  );
  app.use('/api/sessions/:id/messages', async (c, next) => {
    if (state.shuttingDown) {
      return c.json(
        { error: { code: 'server_shutdown', message: 'The server is shutting down' } },
        503,
      );
    }
    await next();
  });

  app.onError((error, c) => {
    if (isClientAbort(error, c.req.raw.signal)) {
      // The client went away mid-request (a cancelled upload): nothing failed on our side and
      // no one is left to read a response.
      runtime.logger.info({ route: routePath(c), code: 'client_aborted' }, 'client_aborted');
      return c.body(null, 499 as 400);
    }
    const { status, body, retryAfterSeconds } = errorResponse(error);
    runtime.metrics.error(body.error.code);
    if (status >= 500) runtime.logger.error({ err: error, route: routePath(c) }, 'request failed');
    if (retryAfterSeconds !== undefined) c.header('retry-after', String(retryAfterSeconds));
    // The rest of an oversized body is not worth reading: close the connection after the answer.
    if (status === 413) c.header('connection', 'close');
    return c.json(body, status as 400);
  });

  opsRoutes(app, runtime, state, options.metricsToken);
  authRoutes(app, runtime);
  sessionRoutes(app, runtime);
  chatRoutes(app, runtime);
  usageRoutes(app, runtime);
  app.all('/api/*', (c) =>
    c.json(
      { error: { code: 'not_found', message: `No API route ${c.req.method} ${c.req.path}` } },
      404,
    ),
  );
  app.get(
    '*',
    staticUi(options.webRoot ?? defaultWebRoot, () =>
      notBuiltPage(runtime.config.name, runtime.mode),
    ),
  );
  return app;
}

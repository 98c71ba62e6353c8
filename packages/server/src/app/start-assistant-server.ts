import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type ServerType } from '@hono/node-server';
import { createAssistantApp, type AssistantApp } from './create-assistant-app.ts';
import {
  openAssistantRuntime,
  type AssistantRuntime,
  type AssistantRuntimeOptions,
} from './assistant-runtime.ts';
import { ListenError } from './listen-error.ts';
import { readEnvironment } from './read-environment.ts';

/** Options of {@link startAssistantServer}. */
export interface StartAssistantServerOptions extends AssistantRuntimeOptions {
  /** Port; 0 picks a free one. Default `PORT`, else 3000. */
  port?: number;
  /** Host to bind. Default 127.0.0.1. */
  host?: string;
  /** The built web UI folder. */
  webRoot?: string;
  /** Stop on SIGTERM/SIGINT. Default false (the CLI turns it on). */
  handleSignals?: boolean;
  /** The bearer token `/metrics` requires. Default `KEEL_METRICS_TOKEN`; none: `/metrics` is 404. */
  metricsToken?: string;
}

/** A running assistant server. */
export interface AssistantServer {
  /** `http://host:port`. */
  url: string;
  port: number;
  app: AssistantApp;
  runtime: AssistantRuntime;
  /** Graceful shutdown: stop accepting, end open streams (stored incomplete), close storage. */
  close(): Promise<void>;
  /** Resolves once the server has closed. */
  closed: Promise<void>;
}

/** Binds the port; a ListenError (nothing left open) when it cannot. */
async function listen(server: ServerType, port: number, host: string): Promise<number> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ListenError(host, port, 'invalid_port');
  }
  return new Promise<number>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.close();
      reject(new ListenError(host, port, error.code ?? error.message, error));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Serves the app on a real socket. The port is bound before the runtime opens, so a port in use
 * fails at once with a ListenError, before storage, the emulator or the demo accounts exist.
 */
export async function startAssistantServer(
  options: StartAssistantServerOptions = {},
): Promise<AssistantServer> {
  const host = options.host ?? '127.0.0.1';
  let app: AssistantApp | undefined;
  const server: ServerType = createAdaptorServer({
    fetch: (request, env) =>
      app
        ? app.fetch(request, env)
        : Response.json(
            {
              error: { code: 'server_starting', message: 'The server is starting; retry shortly' },
            },
            { status: 503, headers: { 'retry-after': '1' } },
          ),
  });
  const port = await listen(server, options.port ?? Number(process.env.PORT ?? 3000), host);
  let runtime: AssistantRuntime;
  try {
    runtime = await openAssistantRuntime(options);
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  const metricsToken =
    options.metricsToken ?? (options.env ?? readEnvironment()).KEEL_METRICS_TOKEN;
  app = createAssistantApp({
    runtime,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    ...(metricsToken ? { metricsToken } : {}),
  });
  // Longer than clients' and proxies' idle timeouts, so a reused keep-alive socket is never closed
  // by the server just as a request goes out on it (that race surfaces as "fetch failed").
  const http = server as unknown as { keepAliveTimeout: number; headersTimeout: number };
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      app.shutdownState.shuttingDown = true;
      runtime.logger.info({ openStreams: runtime.turns.size }, 'shutting down');
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Open answers end with an `error` event (server_shutdown) and are stored incomplete.
      await runtime.turns.stopAll('server_shutdown');
      (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      const timer = setTimeout(
        () => (server as { closeAllConnections?: () => void }).closeAllConnections?.(),
        5000,
      );
      await stopped;
      clearTimeout(timer);
      await runtime.close();
      resolveClosed();
    })();
    return closing;
  };
  if (options.handleSignals) {
    const onSignal = () => void close();
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    void closed.then(() => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    });
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  runtime.logger.info(
    { url, mode: runtime.mode, model: runtime.model },
    'Keel assistant listening',
  );
  return { url, port, app: app, runtime, close, closed };
}

import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createAssistantApp, type AssistantApp } from './create-assistant-app.ts';
import {
  openAssistantRuntime,
  type AssistantRuntime,
  type AssistantRuntimeOptions,
} from './assistant-runtime.ts';

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

/** Opens the runtime and serves the app on a real socket. */
export async function startAssistantServer(
  options: StartAssistantServerOptions = {},
): Promise<AssistantServer> {
  const runtime = await openAssistantRuntime(options);
  const app = createAssistantApp({
    runtime,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
  });
  const host = options.host ?? '127.0.0.1';
  let server: ServerType;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve(
      { fetch: app.fetch, port: options.port ?? Number(process.env.PORT ?? 3000), hostname: host },
      (info: AddressInfo) => resolve(info.port),
    );
    server.once('error', reject);
  });
  // Longer than clients' and proxies' idle timeouts, so a reused keep-alive socket is never closed
  // by the server just as a request goes out on it (that race surfaces as "fetch failed").
  const http = server! as unknown as { keepAliveTimeout: number; headersTimeout: number };
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
  return { url, port, app, runtime, close, closed };
}

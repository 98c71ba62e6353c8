import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorOptions } from './emulator-options.ts';
import { EmulatorState } from './emulator-state.ts';
import { ApiError } from './http/api-error.ts';
import { Router, type RouteContext } from './http/router.ts';
import { emulatedHeader, sendApiError } from './http/send.ts';
import { passApiGate } from './http/api-gate.ts';
import { authenticate } from './http/authenticate.ts';
import { readApiVersion } from './http/api-version.ts';
import { readBetas } from './http/anthropic-beta.ts';
import { messageRoutes } from './messages/routes.ts';
import { modelRoutes } from './models/routes.ts';
import { batchRoutes } from './batches/routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { watchRequest } from './request-log/watch-request.ts';
import { RecordReplay } from './record-replay/record-replay.ts';

/** A running emulator. */
export interface EmulatorHandle {
  /** Base URL to give the official SDK as `baseURL`, e.g. `http://127.0.0.1:40123`. */
  url: string;
  host: string;
  port: number;
  /** The instance's state, for tests that inspect or steer it in-process. */
  state: EmulatorState;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Builds the request listener for an emulator state (exported for in-process use). */
export function createEmulatorListener(
  state: EmulatorState,
): (request: IncomingMessage, response: ServerResponse) => void {
  const router = new Router().add(
    ...messageRoutes(state),
    ...modelRoutes(state),
    ...batchRoutes(state),
    ...adminRoutes(state),
  );
  const recordReplay = state.options.recordReplay
    ? new RecordReplay({ ...state.options.recordReplay, clock: state.clock })
    : undefined;

  return (request, response) => {
    const requestId = state.ids.next('req');
    const headers: Record<string, string> = { 'request-id': requestId, [emulatedHeader]: 'true' };
    const url = new URL(request.url ?? '/', 'http://emulator.local');
    watchRequest(request, response, {
      log: state.requestLog,
      clock: state.clock,
      requestId,
      path: url.pathname,
    });
    const fail = (error: unknown) => {
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError('api_error', 'Internal server error (emulator)');
      if (!(error instanceof ApiError)) console.error('[keel emulator] unexpected error', error);
      if (response.headersSent) {
        response.end();
        return;
      }
      sendApiError(response, apiError, requestId, headers);
    };
    if (recordReplay && url.pathname.startsWith('/v1/')) {
      // Recorded or replayed: the upstream (or the cassette) answers, not the emulator.
      recordReplay
        .handle(request, response, { pathWithQuery: request.url ?? '/', headers })
        .catch(fail);
      return;
    }
    try {
      const { route, params, methodMismatch } = router.match(request.method ?? 'GET', url.pathname);
      if (!route) {
        throw methodMismatch
          ? new ApiError(
              'not_found_error',
              `Method ${request.method} not allowed for ${url.pathname}`,
              { status: 405 },
            )
          : new ApiError('not_found_error', `Not found: ${request.method} ${url.pathname}`);
      }
      // API routes: key, then version, then betas, each refused in the API's own words.
      const apiKey = route.admin ? '' : authenticate(request, state.options);
      const apiVersion = route.admin ? undefined : readApiVersion(request);
      const betas = route.admin ? [] : readBetas(request);
      if (
        !route.admin &&
        !passApiGate(state, { request, response, path: url.pathname, apiKey, headers })
      ) {
        return;
      }
      const context: RouteContext = {
        request,
        response,
        url,
        params,
        requestId,
        apiKey,
        headers,
        betas,
        ...(apiVersion ? { apiVersion } : {}),
      };
      Promise.resolve(route.handler(context)).catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/** Starts an emulator over a real socket. Listens on 127.0.0.1 and a free port by default. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const state = new EmulatorState(options);
  const server: Server = createServer(createEmulatorListener(state));
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        state.batches.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

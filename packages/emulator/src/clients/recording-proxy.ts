import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a client sent it. */
export interface RecordedRequest {
  method: string;
  /** Path with its query string (`/v1/messages?beta=true`). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or undefined when it was empty or not JSON. */
  body: unknown;
  /** The status the emulator answered with, once the response has started. */
  status?: number;
  /** The response body of an error (status 400 and up), once it has been read. */
  errorBody?: string;
}

/** A running proxy: its URL and every request it forwarded, in arrival order. */
export interface RecordingProxy {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy that keeps each request's headers and body, for tests that assert
 * what a real client sent. The emulator's request log keeps no bodies (it is bounded and
 * runs on the hot path); this sits in front of it instead and changes nothing on the way.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: unknown;
      try {
        body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = {
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        headers: incoming.headers,
        body,
      };
      requests.push(recorded);
      const upstreamRequest = forward(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (response) => {
          recorded.status = response.statusCode ?? 502;
          outgoing.writeHead(recorded.status, response.headers);
          if (recorded.status >= 400) {
            const errorChunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => errorChunks.push(chunk));
            response.on('end', () => {
              recorded.errorBody = Buffer.concat(errorChunks).toString('utf8');
            });
          }
          response.pipe(outgoing);
        },
      );
      upstreamRequest.on('error', () => outgoing.destroy());
      upstreamRequest.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

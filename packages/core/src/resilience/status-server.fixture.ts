import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the status server. */
export interface ScriptedReply {
  /** HTTP status. */
  status: number;
  /** Extra response headers (e.g. retry-after-ms). */
  headers?: Record<string, string>;
}

/** A running status server. */
export interface StatusServer {
  url: string;
  /** Paths of the requests received, in order. */
  requests: string[];
  close(): Promise<void>;
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  409: 'conflict_error',
  413: 'request_too_large',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

/**
 * A real HTTP server speaking the Messages API's error shape for statuses the emulator does not
 * inject (408, 409, 502, 503, 504, 403, 413, 422...). Replies follow the script, then succeed
 * with a minimal valid message.
 */
export async function startStatusServer(script: ScriptedReply[]): Promise<StatusServer> {
  const requests: string[] = [];
  let next = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests.push(request.url ?? '');
      const reply = script[next++];
      const requestId = `req_status_${next}`;
      if (reply) {
        response.writeHead(reply.status, {
          'content-type': 'application/json',
          'request-id': requestId,
          ...reply.headers,
        });
        response.end(
          JSON.stringify({
            type: 'error',
            error: {
              type: errorTypes[reply.status] ?? 'api_error',
              message: `status ${reply.status}`,
            },
            request_id: requestId,
          }),
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
      response.end(
        JSON.stringify({
          id: 'msg_status',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-6',
          content: [{ type: 'text', text: 'ok' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 5, output_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

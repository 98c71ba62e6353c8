import type { IncomingMessage } from 'node:http';
import type { EmulatorState } from '../emulator-state.ts';
import { parseJsonBody, readBody } from '../http/read-body.ts';
import type { Route } from '../http/router.ts';
import { sendJson } from '../http/send.ts';
import { paginate, parsePageQuery } from '../pagination/paginate.ts';
import { maxBatchBodyBytes, parseBatchCreate } from './batch-request-schema.ts';
import type { DeletedMessageBatch } from './message-batch.ts';

/** `results_url` is absolute, built from the Host the caller used, so it works behind any port. */
function originOf(request: IncomingMessage): string {
  return `http://${request.headers.host ?? '127.0.0.1'}`;
}

/** The Message Batches endpoints under `/v1/messages/batches`. */
export function batchRoutes(state: EmulatorState): Route[] {
  const { batches } = state;
  return [
    {
      method: 'POST',
      pattern: '/v1/messages/batches',
      async handler({ request, response, headers, apiKey, apiVersion, betas }) {
        const requests = parseBatchCreate(
          parseJsonBody(await readBody(request, maxBatchBodyBytes)),
        );
        const batch = batches.create(apiKey, requests, {
          ...(apiVersion ? { apiVersion } : {}),
          betas,
        });
        sendJson(response, 200, batch.toJSON(originOf(request)), headers);
      },
    },
    {
      method: 'GET',
      pattern: '/v1/messages/batches',
      handler({ request, response, headers, apiKey, url }) {
        const query = parsePageQuery(url);
        const origin = originOf(request);
        const page = paginate(batches.list(apiKey), (batch) => batch.id, query);
        sendJson(
          response,
          200,
          { ...page, data: page.data.map((batch) => batch.toJSON(origin)) },
          headers,
        );
      },
    },
    {
      method: 'GET',
      pattern: '/v1/messages/batches/:id',
      handler({ request, response, headers, apiKey, params }) {
        sendJson(response, 200, batches.get(apiKey, params.id!).toJSON(originOf(request)), headers);
      },
    },
    {
      method: 'POST',
      pattern: '/v1/messages/batches/:id/cancel',
      handler({ request, response, headers, apiKey, params }) {
        const batch = batches.cancel(apiKey, params.id!);
        sendJson(response, 200, batch.toJSON(originOf(request)), headers);
      },
    },
    {
      method: 'DELETE',
      pattern: '/v1/messages/batches/:id',
      handler({ response, headers, apiKey, params }) {
        batches.delete(apiKey, params.id!);
        const body: DeletedMessageBatch = { id: params.id!, type: 'message_batch_deleted' };
        sendJson(response, 200, body, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/v1/messages/batches/:id/results',
      handler({ response, headers, apiKey, params }) {
        const text = batches.get(apiKey, params.id!).resultsJsonl();
        response.writeHead(200, {
          'content-type': 'application/binary',
          'content-length': Buffer.byteLength(text),
          ...headers,
        });
        response.end(text);
      },
    },
  ];
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashedBagOfWords } from './hashed-bag-of-words.ts';

/** Options for {@link startFakeVoyageServer}. */
export interface FakeVoyageServerOptions {
  /** The only API key accepted. Default `test-voyage-key`. */
  apiKey?: string;
  /** Vector size. Default 256. */
  dimensions?: number;
}

/** A running fake of the Voyage embeddings API. */
export interface FakeVoyageServer {
  /** Base URL to pass as `baseUrl` (ends in `/v1`). */
  url: string;
  /** Every request body received, for assertions. */
  requests: Array<{ input: string[]; model: string; input_type?: string }>;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * A local fake of `POST /v1/embeddings` for tests and offline development: same request and
 * response shapes and auth check as Voyage AI, deterministic hashed-bag-of-words vectors.
 */
export async function startFakeVoyageServer(
  options: FakeVoyageServerOptions = {},
): Promise<FakeVoyageServer> {
  const apiKey = options.apiKey ?? 'test-voyage-key';
  const dimensions = options.dimensions ?? 256;
  const requests: FakeVoyageServer['requests'] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
      return send(404, { detail: 'Not found' });
    }
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return send(401, { detail: 'Provided API key is invalid.' });
    }
    let raw = '';
    for await (const piece of request) raw += piece;
    let body: { input?: unknown; model?: unknown; input_type?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return send(400, { detail: 'Body is not JSON.' });
    }
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    if (
      !Array.isArray(input) ||
      input.some((item) => typeof item !== 'string') ||
      typeof body.model !== 'string'
    ) {
      return send(400, {
        detail: 'input must be a string or a list of strings, and model is required.',
      });
    }
    requests.push({
      input: input as string[],
      model: body.model,
      ...(typeof body.input_type === 'string' ? { input_type: body.input_type } : {}),
    });
    const data = (input as string[]).map((text, index) => ({
      object: 'embedding',
      embedding: hashedBagOfWords(text, dimensions),
      index,
    }));
    const tokens = (input as string[]).reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    send(200, { object: 'list', data, model: body.model, usage: { total_tokens: tokens } });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}

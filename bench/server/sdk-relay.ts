/**
 * The least any server built on the official SDK can do: take a POST, send the same Messages
 * request upstream through `@anthropic-ai/sdk`, and write each text delta back as an SSE event.
 * No auth, storage, budgets or framework. The server benchmark measures its added time to first
 * token as the floor the assistant's own figure is compared with.
 *
 * Usage: node --import tsx bench/server/sdk-relay.ts <upstream-url> <request-body-file>
 * Prints its own URL once listening.
 */
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';

const [upstream, bodyFile] = process.argv.slice(2);
if (!upstream || !bodyFile) throw new Error('usage: sdk-relay.ts <upstream-url> <body-file>');
const body = JSON.parse(readFileSync(bodyFile, 'utf8')) as MessageCreateParamsStreaming;
const sdk = new Anthropic({ apiKey: 'bench-key', baseURL: upstream, maxRetries: 0 });

async function relay(response: ServerResponse): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  try {
    for await (const event of sdk.messages.stream(body)) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        response.write(
          `event: text-delta\ndata: ${JSON.stringify({ text: event.delta.text })}\n\n`,
        );
      }
    }
  } finally {
    response.end();
  }
}

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => void relay(response));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

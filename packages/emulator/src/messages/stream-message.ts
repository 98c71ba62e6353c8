import type { ServerResponse } from 'node:http';
import type { MessageResponse } from './response-types.ts';
import { tokenize } from './tokenizer.ts';

/** Writes one SSE event in the API's framing. */
function writeEvent(response: ServerResponse, type: string, data: unknown): void {
  response.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Splits text into delta chunks of a few tokens each. */
function chunkText(text: string, tokensPerChunk = 3): string[] {
  const pieces = tokenize(text);
  const chunks: string[] = [];
  for (let i = 0; i < pieces.length; i += tokensPerChunk)
    chunks.push(pieces.slice(i, i + tokensPerChunk).join(''));
  return chunks.length > 0 ? chunks : [''];
}

/** Splits a JSON string into several `input_json_delta` pieces, the first empty, as the API does. */
function chunkJson(json: string): string[] {
  const size = Math.max(4, Math.ceil(json.length / 4));
  const chunks = [''];
  for (let i = 0; i < json.length; i += size) chunks.push(json.slice(i, i + size));
  return chunks;
}

/**
 * Streams a finished message as the real event sequence: message_start (input-side usage),
 * content_block_start / delta / stop per block, a ping, message_delta (stop reason and cumulative
 * usage) and message_stop.
 */
export function streamMessage(
  response: ServerResponse,
  message: MessageResponse,
  headers: Record<string, string>,
): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  writeEvent(response, 'message_start', {
    type: 'message_start',
    message: {
      ...message,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...message.usage, output_tokens: 1 },
    },
  });
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      writeEvent(response, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      if (index === 0) writeEvent(response, 'ping', { type: 'ping' });
      for (const text of chunkText(block.text)) {
        writeEvent(response, 'content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text },
        });
      }
    } else if (block.type === 'thinking') {
      writeEvent(response, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
      if (index === 0) writeEvent(response, 'ping', { type: 'ping' });
      for (const thinking of chunkText(block.thinking)) {
        writeEvent(response, 'content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'thinking_delta', thinking },
        });
      }
      writeEvent(response, 'content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'signature_delta', signature: block.signature },
      });
    } else {
      writeEvent(response, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: {
          type: 'tool_use',
          id: block.id,
          name: block.name,
          input: {},
          caller: block.caller,
        },
      });
      if (index === 0) writeEvent(response, 'ping', { type: 'ping' });
      for (const partial_json of chunkJson(JSON.stringify(block.input))) {
        writeEvent(response, 'content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json },
        });
      }
    }
    writeEvent(response, 'content_block_stop', { type: 'content_block_stop', index });
  });
  writeEvent(response, 'message_delta', {
    type: 'message_delta',
    delta: {
      stop_reason: message.stop_reason,
      stop_sequence: message.stop_sequence,
      stop_details: null,
    },
    usage: {
      input_tokens: message.usage.input_tokens,
      cache_creation_input_tokens: message.usage.cache_creation_input_tokens,
      cache_read_input_tokens: message.usage.cache_read_input_tokens,
      output_tokens: message.usage.output_tokens,
      server_tool_use: null,
    },
  });
  writeEvent(response, 'message_stop', { type: 'message_stop' });
  response.end();
}

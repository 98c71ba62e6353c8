import type { MessageResponse, OutputBlock } from './response-types.ts';
import { countTextTokens, tokenize } from './tokenizer.ts';

/** One server-sent event, with the output tokens it carries (for pacing and fault points). */
export interface StreamEvent {
  /** The SSE event name, equal to `data.type`. */
  event: string;
  /** The JSON payload. */
  data: Record<string, unknown>;
  /** Output tokens this event delivers (deltas only; 0 for framing events). */
  tokens: number;
}

/** What streaming a content block needs beyond the block itself (from generation). */
export interface StreamedBlock {
  /** Output tokens the block cost. */
  tokens: number;
  /**
   * For tool_use: the JSON text generated, sent as `input_json_delta`s. It differs from the
   * block's input re-serialized when the call was cut short: the deltas then stop mid-JSON.
   */
  inputJson?: string;
}

/** Tokens per text or thinking delta: the real API sends a few tokens per event. */
const tokensPerDelta = 3;

/** Splits text into delta chunks of a few tokens each, never losing a character. */
function chunkText(text: string): Array<{ text: string; tokens: number }> {
  const pieces = tokenize(text);
  const chunks: Array<{ text: string; tokens: number }> = [];
  for (let i = 0; i < pieces.length; i += tokensPerDelta) {
    const slice = pieces.slice(i, i + tokensPerDelta);
    chunks.push({ text: slice.join(''), tokens: slice.length });
  }
  // tokenize() drops trailing whitespace; keep the text byte-identical to the final message.
  const joined = chunks.map((chunk) => chunk.text).join('');
  if (joined.length < text.length) {
    const rest = text.slice(joined.length);
    if (chunks.length > 0) chunks[chunks.length - 1]!.text += rest;
    else chunks.push({ text: rest, tokens: 0 });
  }
  return chunks.length > 0 ? chunks : [{ text: '', tokens: 0 }];
}

/**
 * Spreads a block's output tokens over its delta chunks in proportion to their pieces, so the
 * deltas add up to what the block cost (which the model's tokenizer family may scale).
 */
function shareTokens(
  chunks: Array<{ text: string; tokens: number }>,
  total: number,
): Array<{ text: string; tokens: number }> {
  const pieces = chunks.reduce((sum, chunk) => sum + chunk.tokens, 0);
  if (pieces === total) return chunks;
  let seen = 0;
  let given = 0;
  return chunks.map((chunk, index) => {
    seen += chunk.tokens;
    const upTo =
      index === chunks.length - 1 ? total : pieces === 0 ? 0 : Math.round((total * seen) / pieces);
    const tokens = upTo - given;
    given = upTo;
    return { text: chunk.text, tokens };
  });
}

/** Splits a tool input's JSON into several `input_json_delta` pieces, the first empty. */
function chunkJson(json: string, tokens: number): Array<{ json: string; tokens: number }> {
  const size = Math.max(4, Math.ceil(json.length / 4));
  const pieces: string[] = [];
  for (let i = 0; i < json.length; i += size) pieces.push(json.slice(i, i + size));
  const chunks = [{ json: '', tokens: 0 }];
  let left = tokens;
  pieces.forEach((piece, index) => {
    const share =
      index === pieces.length - 1 ? left : Math.min(left, Math.round(tokens / pieces.length));
    left -= share;
    chunks.push({ json: piece, tokens: share });
  });
  return chunks;
}

function blockEvents(block: OutputBlock, index: number, streamed: StreamedBlock): StreamEvent[] {
  const delta = (value: Record<string, unknown>, tokens: number): StreamEvent => ({
    event: 'content_block_delta',
    data: { type: 'content_block_delta', index, delta: value },
    tokens,
  });
  const start = (content_block: Record<string, unknown>): StreamEvent => ({
    event: 'content_block_start',
    data: { type: 'content_block_start', index, content_block },
    tokens: 0,
  });
  const events: StreamEvent[] = [];
  if (block.type === 'text') {
    events.push(start({ type: 'text', text: '' }));
    // A cited text block streams each citation as a citations_delta the SDK appends to the block.
    for (const citation of block.citations ?? []) {
      events.push(delta({ type: 'citations_delta', citation }, 0));
    }
    for (const chunk of shareTokens(chunkText(block.text), streamed.tokens))
      events.push(delta({ type: 'text_delta', text: chunk.text }, chunk.tokens));
  } else if (block.type === 'thinking') {
    events.push(start({ type: 'thinking', thinking: '', signature: '' }));
    if (block.thinking !== '') {
      for (const chunk of shareTokens(chunkText(block.thinking), streamed.tokens))
        events.push(delta({ type: 'thinking_delta', thinking: chunk.text }, chunk.tokens));
    }
    // Withheld thinking (display "omitted") still cost its tokens: they ride on the signature.
    const withheld = block.thinking === '' ? streamed.tokens : 0;
    events.push(delta({ type: 'signature_delta', signature: block.signature }, withheld));
  } else if (block.type === 'redacted_thinking') {
    // Arrives whole in content_block_start, no deltas (../shared/wire/redacted_thought.sse.stream.jsonl).
    events.push({
      ...start({ type: 'redacted_thinking', data: block.data }),
      tokens: streamed.tokens,
    });
  } else {
    events.push(
      start({ type: 'tool_use', id: block.id, name: block.name, input: {}, caller: block.caller }),
    );
    const json = streamed.inputJson ?? JSON.stringify(block.input);
    for (const chunk of chunkJson(json, streamed.tokens))
      events.push(delta({ type: 'input_json_delta', partial_json: chunk.json }, chunk.tokens));
  }
  events.push({
    event: 'content_block_stop',
    data: { type: 'content_block_stop', index },
    tokens: 0,
  });
  return events;
}

/**
 * Without generation's figures (a message from elsewhere): text and thinking cost what they
 * tokenize to, and tool calls share whatever output tokens are left.
 */
function estimateStreamed(message: MessageResponse): StreamedBlock[] {
  const textTokens = (block: OutputBlock) =>
    block.type === 'text'
      ? countTextTokens(block.text)
      : block.type === 'thinking'
        ? countTextTokens(block.thinking)
        : block.type === 'redacted_thinking'
          ? countTextTokens(block.data)
          : 0;
  const spent = message.content.reduce((sum, block) => sum + textTokens(block), 0);
  const toolBlocks = message.content.filter((block) => block.type === 'tool_use').length;
  const toolTokens = Math.round(
    toolBlocks > 0 ? Math.max(0, message.usage.output_tokens - spent) / toolBlocks : 0,
  );
  return message.content.map((block) => ({
    tokens: block.type === 'tool_use' ? toolTokens : textTokens(block),
  }));
}

/**
 * The real event sequence for a finished message: `message_start` (input-side usage, a small
 * output count), then per block `content_block_start`, deltas and `content_block_stop` (a `ping`
 * after the first block starts), then `message_delta` (stop reason and details, cumulative usage)
 * and `message_stop`. Delta token counts add up to the message's `output_tokens`. `streamed`
 * (from generation) carries each block's token cost and the tool JSON as generated.
 */
export function streamEvents(message: MessageResponse, streamed?: StreamedBlock[]): StreamEvent[] {
  const { usage } = message;
  const perBlock = streamed ?? estimateStreamed(message);
  // message_start's usage has neither output_tokens_details nor server_tool_use; message_delta's
  // has the details (../shared/wire/system_after_server_tool.sse.stream.jsonl, claude-opus-4-8).
  const { output_tokens_details: outputDetails, ...startUsage } = usage;

  const events: StreamEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          ...message,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          // The context-editing report rides on message_delta (the SDK's BetaRawMessageDeltaEvent).
          ...(message.context_management ? { context_management: null } : {}),
          usage: { ...startUsage, output_tokens: Math.min(1, usage.output_tokens) },
        },
      },
      tokens: 0,
    },
  ];
  message.content.forEach((block, index) => {
    const blockList = blockEvents(block, index, perBlock[index] ?? { tokens: 0 });
    events.push(...blockList.slice(0, 1));
    if (index === 0) events.push({ event: 'ping', data: { type: 'ping' }, tokens: 0 });
    events.push(...blockList.slice(1));
  });
  if (message.content.length === 0)
    events.push({ event: 'ping', data: { type: 'ping' }, tokens: 0 });
  events.push(
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: {
          stop_reason: message.stop_reason,
          stop_sequence: message.stop_sequence,
          stop_details: message.stop_details,
        },
        usage: {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          output_tokens: usage.output_tokens,
          output_tokens_details: outputDetails,
        },
        ...(message.context_management ? { context_management: message.context_management } : {}),
      },
      tokens: 0,
    },
    { event: 'message_stop', data: { type: 'message_stop' }, tokens: 0 },
  );
  return events;
}

/** Frames one event the way the API writes it. */
export function formatEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

import { createHash } from 'node:crypto';
import type { EmulatorState } from '../emulator-state.ts';
import { ApiError, invalidRequest } from '../http/api-error.ts';
import type { ReplyBlock } from '../responder/reply.ts';
import { describeIssues, messageRequestSchema, type MessageRequest } from './request-schema.ts';
import type { MessageResponse, OutputBlock, StopReason, Usage } from './response-types.ts';
import { countTextTokens, tokenize } from './tokenizer.ts';
import type { ModelInfo } from '@keel/models';

/** A validated request together with its catalog entry. */
export interface PreparedRequest {
  /** The validated body. */
  request: MessageRequest;
  /** The catalog entry of the requested model. */
  model: ModelInfo;
  /** Input tokens the rate limiter charges (uncached input plus cache writes). */
  inputTokens: number;
}

/** Validates a raw body as a Messages request (shape and model). */
export function prepareMessageRequest(state: EmulatorState, body: unknown): PreparedRequest {
  const parsed = messageRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidRequest(describeIssues(parsed.error));
  const request = parsed.data;
  const model = state.catalog.find(request.model);
  if (!model) throw new ApiError('not_found_error', `model: ${request.model}`);
  if (request.max_tokens > model.maxOutputTokens) {
    throw invalidRequest(
      `max_tokens: ${request.max_tokens} > ${model.maxOutputTokens}, which is the maximum allowed number of output tokens for ${model.id}`,
    );
  }
  return { request, model, inputTokens: countInputTokens(request) };
}

/** Counts every input token of a request with the emulator's tokenizer. */
export function countInputTokens(
  request: Pick<MessageRequest, 'system' | 'messages' | 'tools'>,
): number {
  let total = 0;
  if (typeof request.system === 'string') total += countTextTokens(request.system);
  else for (const block of request.system ?? []) total += countTextTokens(block.text);
  for (const tool of request.tools ?? []) total += countTextTokens(JSON.stringify(tool));
  for (const message of request.messages) {
    total += 3;
    if (typeof message.content === 'string') total += countTextTokens(message.content);
    else for (const block of message.content) total += countTextTokens(JSON.stringify(block));
  }
  return Math.max(1, total);
}

function thinkingSignature(thinking: string): string {
  return createHash('sha256').update(`keel-emulator:${thinking}`).digest('base64');
}

/** Per-request choices of the non-streaming pipeline. */
export interface ProcessMessageOptions {
  /** The API key the request came with (prompt-cache entries are per key). */
  apiKey: string;
  /** `batch` for Message Batches items: reported in `usage.service_tier`. Default `standard`. */
  serviceTier?: 'standard' | 'batch';
  /** A scenario name to use instead of matching (the `x-keel-scenario` header). */
  forcedScenario?: string;
}

/**
 * The whole non-streaming pipeline for one request body: validation, prompt-cache accounting, the
 * responder, max_tokens and stop sequences. Throws ApiError for an invalid request. Rate limits and
 * faults are applied by the HTTP route, not here, so batch items can reuse this as is.
 */
export function processMessageRequest(
  state: EmulatorState,
  body: unknown,
  options: ProcessMessageOptions,
): MessageResponse {
  const message = createMessage(state, prepareMessageRequest(state, body), options.forcedScenario);
  if (options.serviceTier === 'batch') message.usage.service_tier = 'batch';
  return message;
}

/** Runs the responder and applies max_tokens and stop sequences, producing the final message. */
export function createMessage(
  state: EmulatorState,
  prepared: PreparedRequest,
  forcedScenario?: string,
): MessageResponse {
  const { request, model } = prepared;
  const reply = state.responder(request, { model, ...(forcedScenario ? { forcedScenario } : {}) });
  let budget = request.max_tokens;
  let stopReason: StopReason =
    reply.stopReason ?? (reply.blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  let stopSequence: string | null = null;
  const content: OutputBlock[] = [];
  let outputTokens = 0;

  for (const block of reply.blocks as ReplyBlock[]) {
    if (budget <= 0) {
      stopReason = 'max_tokens';
      break;
    }
    if (block.type === 'text') {
      let pieces = tokenize(block.text);
      const stops = request.stop_sequences ?? [];
      let text = pieces.join('');
      for (const stop of stops) {
        const at = text.indexOf(stop);
        if (at !== -1 && (stopSequence === null || at < text.indexOf(stopSequence))) {
          stopSequence = stop;
        }
      }
      if (stopSequence !== null) {
        text = text.slice(0, text.indexOf(stopSequence));
        pieces = tokenize(text);
      }
      if (pieces.length > budget) {
        pieces = pieces.slice(0, budget);
        stopReason = 'max_tokens';
        stopSequence = null;
      } else if (stopSequence !== null) {
        stopReason = 'stop_sequence';
      }
      content.push({ type: 'text', text: pieces.join(''), citations: block.citations ?? null });
      budget -= pieces.length;
      outputTokens += pieces.length;
      if (stopReason === 'max_tokens' || stopReason === 'stop_sequence') break;
    } else if (block.type === 'thinking') {
      const pieces = tokenize(block.thinking).slice(0, budget);
      content.push({
        type: 'thinking',
        thinking: pieces.join(''),
        signature: thinkingSignature(pieces.join('')),
      });
      budget -= pieces.length;
      outputTokens += pieces.length;
    } else {
      const cost = countTextTokens(block.name) + countTextTokens(JSON.stringify(block.input));
      if (cost > budget) {
        stopReason = 'max_tokens';
        break;
      }
      content.push({
        type: 'tool_use',
        id: block.id ?? state.ids.next('toolu'),
        name: block.name,
        input: block.input,
        caller: { type: 'direct' },
      });
      budget -= cost;
      outputTokens += cost;
    }
  }

  const usage: Usage = {
    input_tokens: countInputTokens(request),
    output_tokens: Math.max(1, outputTokens),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    server_tool_use: null,
    service_tier: 'standard',
    inference_geo: 'global',
  };
  return {
    id: state.ids.next('msg'),
    type: 'message',
    role: 'assistant',
    model: request.model,
    content,
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    stop_details: null,
    container: null,
    usage,
  };
}

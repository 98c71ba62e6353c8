import type { ModelCatalog } from '@keel/models';
import { estimateInputTokens } from '../tokens/estimate-tokens.ts';
import type { KeelRequest } from './keel-request.ts';
import type { PreparedCall } from './prepare-call.ts';

/**
 * The request body of one attempt: the caller's parameters without `task`, with the model of this
 * attempt, and only the sampling fields `sendable` lets through for that model (a fallback model
 * may accept fewer than the first).
 */
export function attemptBody(
  prepared: PreparedCall,
  model: string,
  stream: boolean | undefined,
  sendable: (model: string) => Pick<KeelRequest, 'temperature' | 'top_p' | 'top_k'>,
): Record<string, unknown> {
  const {
    task: _task,
    model: _model,
    temperature: _temperature,
    top_p: _topP,
    top_k: _topK,
    stream: _stream,
    ...body
  } = prepared.request as KeelRequest & { stream?: unknown };
  const sent = prepared.sampling ? sendable(model) : {};
  return {
    ...body,
    ...sent,
    model,
    ...(stream === undefined ? {} : { stream }),
  };
}

/** The request's estimated input tokens, computed at most once per call (budgets, limiter). */
export function estimatedInputTokens(prepared: PreparedCall, catalog: ModelCatalog): number {
  return (prepared.estimatedInputTokens ??= estimateInputTokens(prepared.request, {
    tokenizer: catalog.find(prepared.modelRequested)?.tokenizer,
  }));
}

/** The last user message's text, for content logging. */
export function requestText(request: KeelRequest): string {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index]!;
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  }
  return '';
}

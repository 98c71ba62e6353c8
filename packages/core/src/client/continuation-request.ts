import type { MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import type { KeelRequest } from './keel-request.ts';

/**
 * What the model is asked when it cannot take a prefill (Sonnet 4.6, Opus 4.6 and the 5.x models
 * answer 400 "This model does not support assistant message prefill"): its partial answer goes
 * back as an assistant turn, and this user turn asks it to carry on.
 */
export const continueInstruction =
  'Your previous answer was cut off. Continue it exactly where it stopped, mid-sentence if need be, without repeating anything already written.';

/**
 * Builds the request that continues a broken answer from its partial text: as an assistant
 * prefill where the model accepts one (`prefill`, from the catalog), else as the partial answer
 * followed by {@link continueInstruction}. Thinking is dropped (a prefill with thinking is refused).
 */
export function continuationRequest(
  request: KeelRequest,
  partial: { model: string; partialText: string; usage: { output: number } },
  options: { prefill?: boolean } = {},
): KeelRequest {
  // The API rejects an assistant prefill that ends in whitespace.
  const prefill = partial.partialText.trimEnd();
  const messages: MessageParam[] = [...request.messages];
  const last = messages[messages.length - 1];
  if (last && last.role === 'assistant') {
    const earlier =
      typeof last.content === 'string'
        ? last.content
        : last.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    messages[messages.length - 1] = { role: 'assistant', content: earlier + prefill };
  } else if (prefill !== '') {
    messages.push({ role: 'assistant', content: prefill });
  }
  if (options.prefill === false && messages[messages.length - 1]?.role === 'assistant') {
    messages.push({ role: 'user', content: continueInstruction });
  }
  const { thinking: _thinking, task: _task, ...rest } = request;
  return {
    ...rest,
    model: partial.model,
    messages,
    max_tokens: Math.max(1, request.max_tokens - partial.usage.output),
  };
}

import type { MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import type { KeelRequest } from './keel-request.ts';

/** Builds the request that continues a broken answer from its partial text. */
export function continuationRequest(
  request: KeelRequest,
  partial: { model: string; partialText: string; usage: { output: number } },
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
  const { thinking: _thinking, task: _task, ...rest } = request;
  return {
    ...rest,
    model: partial.model,
    messages,
    max_tokens: Math.max(1, request.max_tokens - partial.usage.output),
  };
}

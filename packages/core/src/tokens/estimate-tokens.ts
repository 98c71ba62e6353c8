import type { MessageCountTokensParams } from '@anthropic-ai/sdk/resources/messages/messages';

/**
 * A fast offline token estimate. Claude's tokenizer is not public; English prose averages about
 * 3.5 characters per token with Claude 3+ tokenizers, code and JSON run denser. The estimate
 * errs high (rounding up, per-message overhead) because it is used for budgets and limits.
 */
const charactersPerToken = 3.5;
/** Role markers and separators around each message. */
const perMessageOverhead = 4;
/** A typical image costs about (width × height) / 750 tokens; unknown sizes count as 1,600. */
const imageTokens = 1_600;
/** A PDF page costs roughly 1,500–3,000 tokens; unknown page counts count as 3,000. */
const documentTokens = 3_000;

function textTokens(text: string): number {
  return Math.ceil(text.length / charactersPerToken);
}

function blockTokens(block: unknown): number {
  if (typeof block === 'string') return textTokens(block);
  if (!block || typeof block !== 'object') return 0;
  const value = block as {
    type?: string;
    text?: unknown;
    content?: unknown;
    input?: unknown;
    thinking?: unknown;
    source?: { type?: string; data?: unknown };
  };
  switch (value.type) {
    case 'text':
      return typeof value.text === 'string' ? textTokens(value.text) : 0;
    case 'image':
      return imageTokens;
    case 'document':
      return value.source?.type === 'text' && typeof value.source.data === 'string'
        ? textTokens(value.source.data)
        : documentTokens;
    case 'tool_use':
      return textTokens(JSON.stringify(value.input ?? {})) + 8;
    case 'tool_result':
      return (
        (Array.isArray(value.content)
          ? value.content.reduce((sum: number, part) => sum + blockTokens(part), 0)
          : typeof value.content === 'string'
            ? textTokens(value.content)
            : 0) + 8
      );
    case 'thinking':
      return typeof value.thinking === 'string' ? textTokens(value.thinking) : 0;
    default:
      return textTokens(JSON.stringify(value));
  }
}

/** Estimated input tokens of a request (system, messages, tools), without calling the API. */
export function estimateInputTokens(
  request: Pick<MessageCountTokensParams, 'messages' | 'system' | 'tools'>,
): number {
  let total = 0;
  if (typeof request.system === 'string') total += textTokens(request.system);
  else if (Array.isArray(request.system))
    for (const block of request.system) total += blockTokens(block);
  for (const message of request.messages) {
    total += perMessageOverhead;
    if (typeof message.content === 'string') total += textTokens(message.content);
    else for (const block of message.content) total += blockTokens(block);
  }
  if (request.tools && request.tools.length > 0) {
    // Tool use adds a system prompt of a few hundred tokens, plus the definitions themselves.
    total += 346 + textTokens(JSON.stringify(request.tools));
  }
  return total;
}

/** Estimated tokens of a piece of output text. */
export function estimateTextTokens(text: string): number {
  return textTokens(text);
}

import type { MessageCountTokensParams } from '@anthropic-ai/sdk/resources/messages/messages';
import { estimateTextTokensFor, type TokenizerFamily } from './estimate-text-tokens.ts';

export { type TokenizerFamily } from './estimate-text-tokens.ts';

/**
 * A fast offline token estimate, used for budgets and limits, so it errs high: text by script (see
 * estimate-text-tokens.ts), framing, the tool-use system prompt and images at the documented
 * maximum. Pass the model's tokenizer family when it is known; without it the estimate assumes the
 * newer tokenizer, the larger of the two.
 */
export interface EstimateOptions {
  /** The tokenizer family of the model called (the catalog's `tokenizer`). Default `claude-4-7`. */
  tokenizer?: TokenizerFamily | undefined;
}

/** Role markers and separators around each message (a one-character message counts 8 in all). */
const perMessageOverhead = 4;
/** The request's own framing, counted once. */
const requestOverhead = 4;
/**
 * The largest documented tool-use system prompt per family, whatever the tool_choice: 589 tokens
 * (Claude Opus 4.6 and Sonnet 4.6, `any`/`tool`) and 804 (Claude Opus 4.7, `any`/`tool`)
 * (https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview).
 */
const toolSystemPrompt: Record<TokenizerFamily, number> = { 'claude-3': 589, 'claude-4-7': 804 };
/** Documented sizes of Anthropic-defined tools: bash 245, text editor 700, computer use 735. */
const anthropicDefinedTools: readonly [prefix: string, tokens: number][] = [
  ['bash_', 245],
  ['text_editor_', 700],
  ['computer_', 735],
];
/**
 * Tokens of an image: at most about 1,600 once the API scales it to about 1.15 megapixels
 * (https://platform.claude.com/docs/en/build-with-claude/vision); the high-resolution vision of
 * Claude Opus 4.7 and later keeps up to 3.75 megapixels, 5,000 tokens at (width × height) / 750.
 */
const imageTokens: Record<TokenizerFamily, number> = { 'claude-3': 1_600, 'claude-4-7': 5_000 };
/**
 * The prompt the API adds for `output_config.format`: about 180 tokens in a real capture on
 * Claude Haiku 4.5 (no documented figure), counted here with a margin, plus the schema.
 */
const structuredOutputPrompt = 250;
/** A PDF page costs "1,500-3,000 tokens per page" of text and image; unknown page counts count one page. */
const pdfPageTokens = 3_000;

function pdfPages(base64: string): number {
  const text = Buffer.from(base64, 'base64').toString('latin1');
  return Math.max(1, text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0);
}

function blockTokens(block: unknown, family: TokenizerFamily): number {
  const text = (value: string) => estimateTextTokensFor(value, family);
  if (typeof block === 'string') return text(block);
  if (!block || typeof block !== 'object') return 0;
  const value = block as {
    type?: string;
    text?: unknown;
    content?: unknown;
    input?: unknown;
    name?: unknown;
    thinking?: unknown;
    title?: unknown;
    context?: unknown;
    source?: { type?: string; data?: unknown; content?: unknown };
  };
  switch (value.type) {
    case 'text':
      return typeof value.text === 'string' ? text(value.text) : 0;
    case 'image':
      return imageTokens[family];
    case 'document': {
      const about = text(`${String(value.title ?? '')} ${String(value.context ?? '')}`);
      const source = value.source;
      if (source?.type === 'text' && typeof source.data === 'string')
        return about + text(source.data);
      if (source?.type === 'content')
        return (
          about +
          (Array.isArray(source.content)
            ? source.content.reduce((sum: number, part) => sum + blockTokens(part, family), 0)
            : typeof source.content === 'string'
              ? text(source.content)
              : 0)
        );
      if (source?.type === 'base64' && typeof source.data === 'string')
        return about + pdfPages(source.data) * pdfPageTokens;
      return about + pdfPageTokens;
    }
    case 'tool_use':
      return text(String(value.name ?? '')) + text(JSON.stringify(value.input ?? {})) + 8;
    case 'tool_result':
      return (
        (Array.isArray(value.content)
          ? value.content.reduce((sum: number, part) => sum + blockTokens(part, family), 0)
          : typeof value.content === 'string'
            ? text(value.content)
            : 0) + 8
      );
    case 'thinking':
      return typeof value.thinking === 'string' ? text(value.thinking) : 0;
    default:
      return text(JSON.stringify(value));
  }
}

function toolTokens(tool: unknown, family: TokenizerFamily): number {
  const type = (tool as { type?: unknown }).type;
  if (typeof type === 'string') {
    const documented = anthropicDefinedTools.find(([prefix]) => type.startsWith(prefix));
    if (documented) return documented[1];
  }
  return estimateTextTokensFor(JSON.stringify(tool), family);
}

/** Estimated input tokens of a request (system, messages, tools), without calling the API. */
export function estimateInputTokens(
  request: Pick<MessageCountTokensParams, 'messages' | 'system' | 'tools'> & {
    output_config?: { format?: { schema?: unknown } | null } | null;
  },
  options: EstimateOptions = {},
): number {
  const family = options.tokenizer ?? 'claude-4-7';
  let total = request.messages.length > 0 ? requestOverhead : 0;
  if (typeof request.system === 'string') total += estimateTextTokensFor(request.system, family);
  else if (Array.isArray(request.system))
    for (const block of request.system) total += blockTokens(block, family);
  for (const message of request.messages) {
    total += perMessageOverhead;
    if (typeof message.content === 'string')
      total += estimateTextTokensFor(message.content, family);
    else for (const block of message.content) total += blockTokens(block, family);
  }
  const format = request.output_config?.format;
  if (format)
    total += structuredOutputPrompt + estimateTextTokensFor(JSON.stringify(format.schema), family);
  if (request.tools && request.tools.length > 0) {
    total += toolSystemPrompt[family];
    for (const tool of request.tools) total += toolTokens(tool, family);
  }
  return total;
}

/** Estimated tokens of a piece of output text. */
export function estimateTextTokens(text: string, options: EstimateOptions = {}): number {
  return estimateTextTokensFor(text, options.tokenizer ?? 'claude-4-7');
}

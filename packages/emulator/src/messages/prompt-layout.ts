import { createHash } from 'node:crypto';
import { blockTokens, outputFormatTokens, toolTokens } from './block-tokens.ts';
import type { CacheControl, ContentBlockParam, CountTokensRequest } from './request-schema.ts';
import { countTextTokens } from './tokenizer.ts';
import { type CountingModel, tokenizerFamilyOf } from './tokenizer-family.ts';
import { toolUseSystemPromptTokens } from './tool-use-tokens.ts';

/** Tokens each message adds for its role and turn framing. */
const messageOverheadTokens = 3;
/**
 * Tokens the request's framing adds once: a one-character user message counts 8
 * (https://github.com/rohangpta/ctoc/blob/main/REPORT.md), and the documented "You are a
 * scientist" / "Hello, Claude" request counts 14
 * (https://platform.claude.com/docs/en/build-with-claude/token-counting). They close the prompt
 * (the assistant turn's start), after any cache breakpoint, so a fully cached request still reports
 * a few `input_tokens`, as the real API does.
 */
export const requestFramingTokens = 4;

/** One block of the prompt, in cache-prefix order: tools, then system, then messages. */
interface PromptBlock {
  /** Which part of the request the block is in. */
  section: 'tools' | 'system' | 'messages';
  /** The block's field path in the request, e.g. `messages.2.content.0`, for error messages. */
  path: string;
  /** Input tokens of the block (for a message's first block, including the message framing). */
  tokens: number;
  /** Tokens of the whole prefix up to and including this block. */
  prefixTokens: number;
  /** Cumulative hash of the prefix up to and including this block: its cache key. */
  prefixHash: string;
  /** The block's explicit `cache_control`, if any. */
  cacheControl: CacheControl | undefined;
  /** Whether a cache breakpoint may sit here (thinking blocks and empty text cannot hold one). */
  cacheable: boolean;
}

/** The prompt as the cache and the token counter see it. */
export interface PromptLayout {
  /** Every block, in prefix order. */
  blocks: PromptBlock[];
  /** All input tokens of the request. */
  totalTokens: number;
  /** Whether any image appears anywhere (part of the messages cache key). */
  hasImages: boolean;
}

/** The request fields that shape the prompt (count_tokens and messages requests both have them). */
export type PromptRequest = CountTokensRequest & { speed?: string | null };

function chain(previous: string, content: string): string {
  return createHash('sha256').update(previous).update('\u0000').update(content).digest('base64url');
}

/** The block as hashed: everything but its cache marker, which does not change the content. */
function hashable(block: object): string {
  const { cache_control: _marker, ...content } = block as { cache_control?: unknown };
  return JSON.stringify(content);
}

function containsImage(blocks: readonly ContentBlockParam[]): boolean {
  return blocks.some(
    (block) =>
      block.type === 'image' ||
      (block.type === 'tool_result' &&
        Array.isArray(block.content) &&
        block.content.some((inner) => inner.type === 'image')) ||
      (block.type === 'document' &&
        block.source.type === 'content' &&
        Array.isArray(block.source.content) &&
        block.source.content.some((inner) => inner.type === 'image')),
  );
}

/**
 * Lays the prompt out as the prompt cache sees it: tools, system blocks and message blocks in
 * order, each with its tokens and the cumulative hash of everything before it. The hash starts
 * from the model; parameters that invalidate later parts (speed for system and messages;
 * tool_choice, thinking, image presence and output format for messages) are mixed in where those
 * parts begin, following the real cache's invalidation rules.
 */
export function layoutPrompt(request: PromptRequest, model: string | CountingModel): PromptLayout {
  const modelId = typeof model === 'string' ? model : model.id;
  const family = tokenizerFamilyOf(model);
  const blocks: PromptBlock[] = [];
  let hash = chain('keel-prompt-cache-v1', modelId);
  let total = 0;
  const push = (
    section: PromptBlock['section'],
    path: string,
    tokens: number,
    content: string,
    cacheControl: CacheControl | null | undefined,
    cacheable: boolean,
  ) => {
    hash = chain(hash, content);
    total += tokens;
    blocks.push({
      section,
      path,
      tokens,
      prefixTokens: total,
      prefixHash: hash,
      cacheControl: cacheControl ?? undefined,
      cacheable,
    });
  };

  // The tool-use system prompt sits before the definitions: the first tool's block carries it.
  const tools = request.tools ?? [];
  const toolPrompt = toolUseSystemPromptTokens({
    modelId,
    family,
    toolCount: tools.length,
    toolChoice: request.tool_choice?.type,
  });
  tools.forEach((tool, index) => {
    const tokens = toolTokens(tool, family) + (index === 0 ? toolPrompt : 0);
    push('tools', `tools.${index}`, tokens, hashable(tool), tool.cache_control, true);
  });

  hash = chain(hash, JSON.stringify({ section: 'system', speed: request.speed ?? 'standard' }));
  if (typeof request.system === 'string') {
    if (request.system !== '') {
      const block = { type: 'text', text: request.system };
      push(
        'system',
        'system',
        countTextTokens(request.system, family),
        hashable(block),
        undefined,
        true,
      );
    }
  } else {
    (request.system ?? []).forEach((block, index) => {
      push(
        'system',
        `system.${index}`,
        countTextTokens(block.text, family),
        hashable(block),
        block.cache_control,
        block.text !== '',
      );
    });
  }

  const hasImages = request.messages.some(
    (message) => typeof message.content !== 'string' && containsImage(message.content),
  );
  hash = chain(
    hash,
    JSON.stringify({
      section: 'messages',
      toolChoice: request.tool_choice ?? null,
      thinking: request.thinking ?? null,
      images: hasImages,
      format: request.output_config?.format ?? null,
    }),
  );
  const formatTokens = outputFormatTokens(request.output_config?.format, family);
  request.messages.forEach((message, messageIndex) => {
    const content: ContentBlockParam[] =
      typeof message.content === 'string'
        ? [{ type: 'text', text: message.content }]
        : message.content;
    content.forEach((block, blockIndex) => {
      // The structured-output prompt and schema ride with the first message: a format change
      // invalidates the messages' cache, as the section hash above says.
      const overhead =
        (blockIndex === 0 ? messageOverheadTokens : 0) +
        (messageIndex === 0 && blockIndex === 0 ? formatTokens : 0);
      const path =
        typeof message.content === 'string'
          ? `messages.${messageIndex}.content`
          : `messages.${messageIndex}.content.${blockIndex}`;
      const marker = 'cache_control' in block ? block.cache_control : undefined;
      const cacheable =
        block.type !== 'thinking' &&
        block.type !== 'redacted_thinking' &&
        !(block.type === 'text' && block.text === '');
      push(
        'messages',
        path,
        overhead + blockTokens(block, family),
        `${message.role}:${blockIndex === 0 ? 'start' : 'next'}:${hashable(block)}`,
        marker as CacheControl | null | undefined,
        cacheable,
      );
    });
  });
  if (request.messages.length > 0) total += requestFramingTokens;
  return { blocks, totalTokens: Math.max(1, total), hasImages };
}

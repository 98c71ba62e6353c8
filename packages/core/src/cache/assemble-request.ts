import type Anthropic from '@anthropic-ai/sdk';
import {
  contentBlocks,
  type ContentBlockParam,
  type MessageParam,
} from '../call/conversation-shape.ts';

export type CacheTtl = '5m' | '1h';
export type LayerName = 'tools' | 'system' | 'pinned' | 'history';

/** Counts the tokens of any request part (a tool, a block, a message). */
export type TokenCounter = (value: unknown) => number;

export interface AssembleOptions {
  /** Tool definitions: the most stable layer. */
  tools?: Anthropic.ToolUnion[];
  /** The system prompt. */
  system?: string | Anthropic.TextBlockParam[];
  /**
   * Pinned blocks (documents, retrieved context, memory, a summary of trimmed turns), sent at the
   * front of the first history message, after the system prompt and before the history.
   */
  pinned?: ContentBlockParam[];
  /** The history to send, ending with the new user message (already trimmed). */
  messages: MessageParam[];
  /** The model's minimum cacheable prefix, in tokens: no breakpoint is placed on a shorter one. */
  minCacheableTokens: number;
  countTokens: TokenCounter;
  /**
   * The expected time before this prefix is used again. Above five minutes the stable layers
   * (tools, system, pinned) are written with the 1-hour TTL, which costs 2x instead of 1.25x but
   * survives the gap. Default: 0 (5-minute TTL everywhere).
   */
  expectedReuseGapMs?: number;
}

export interface Breakpoint {
  layer: LayerName;
  /** Tokens of the prefix the breakpoint closes. */
  prefixTokens: number;
  ttl: CacheTtl;
  /** Where the breakpoint sits: `system`, `tools`, or a message index into the sent history. */
  position:
    | { part: 'tools'; index: number }
    | { part: 'system'; index: number }
    | { part: 'messages'; index: number; block: number };
}

export interface AssembledRequest {
  tools?: Anthropic.ToolUnion[];
  system?: Anthropic.TextBlockParam[];
  messages: MessageParam[];
  /** The breakpoints placed (at most 4), in prefix order. */
  breakpoints: Breakpoint[];
  /** Estimated input tokens of the whole request. */
  inputTokens: number;
  /** Tokens of each layer, for cost reports and cache-break estimates. */
  layerTokens: Record<LayerName, number>;
}

/** The default cache TTL; a longer expected gap before reuse calls for the 1-hour TTL. */
const fiveMinutesMs = 5 * 60 * 1000;

/**
 * Where the previous request of a conversation ended, counted from the end of this one: a turn
 * adds the assistant's answer and the new user message after it, so it is the third message
 * from the end (tool loops add more inside the answer's turn, never after the user message).
 */
export const previousRequestEndFromLast = 3;

function cacheable(block: ContentBlockParam): boolean {
  if (block.type === 'thinking' || block.type === 'redacted_thinking') return false;
  if (block.type === 'text' && block.text === '') return false;
  return true;
}

function stripCacheControl<T extends object>(block: T): T {
  if (!('cache_control' in block) || block.cache_control == null) return block;
  const { cache_control: _ignored, ...rest } = block as T & { cache_control?: unknown };
  return rest as T;
}

/**
 * Builds a request as stable layers — tools, system, pinned blocks, history — and places up to
 * four cache breakpoints where they pay off:
 * 1. the end of the system prompt (tools and system: stable across every turn),
 * 2. the end of the pinned blocks (documents, memory),
 * 3. the end of the previous request (the message before the last two), which the prompt cache
 *    wrote last time: an exact hit however many blocks a tool loop appended since (the cache only
 *    looks back 20 blocks from a breakpoint, which parallel tool calls can exceed),
 * 4. the end of the request, written now for the next turn or tool step.
 * A breakpoint is never placed on a prefix shorter than the model's minimum. Existing
 * `cache_control` markers in the history are removed so the limit of four always holds.
 */
export function assembleRequest(options: AssembleOptions): AssembledRequest {
  const count = options.countTokens;
  const stableTtl: CacheTtl = (options.expectedReuseGapMs ?? 0) > fiveMinutesMs ? '1h' : '5m';
  const breakpoints: Breakpoint[] = [];

  const tools = options.tools?.map((tool) => stripCacheControl(tool));
  const toolTokens = (tools ?? []).reduce((sum, tool) => sum + count(tool), 0);

  const systemBlocks: Anthropic.TextBlockParam[] =
    options.system === undefined
      ? []
      : typeof options.system === 'string'
        ? options.system === ''
          ? []
          : [{ type: 'text', text: options.system }]
        : options.system.map((block) => stripCacheControl(block));
  const systemTokens = systemBlocks.reduce((sum, block) => sum + count(block), 0);

  let prefix = toolTokens + systemTokens;
  if (systemBlocks.length > 0 && prefix >= options.minCacheableTokens) {
    breakpoints.push({
      layer: 'system',
      prefixTokens: prefix,
      ttl: stableTtl,
      position: { part: 'system', index: systemBlocks.length - 1 },
    });
  } else if (
    systemBlocks.length === 0 &&
    tools &&
    tools.length > 0 &&
    prefix >= options.minCacheableTokens
  ) {
    breakpoints.push({
      layer: 'tools',
      prefixTokens: prefix,
      ttl: stableTtl,
      position: { part: 'tools', index: tools.length - 1 },
    });
  }

  const messages: MessageParam[] = options.messages.map((message) => ({
    role: message.role,
    content: contentBlocks(message).map((block) => stripCacheControl(block)),
  })) as MessageParam[];
  const pinned = (options.pinned ?? []).map((block) => stripCacheControl(block));
  const pinnedTokens = pinned.reduce((sum, block) => sum + count(block), 0);
  if (pinned.length > 0 && messages.length > 0) {
    const first = messages[0]!;
    first.content = [...pinned, ...(first.content as ContentBlockParam[])];
    prefix += pinnedTokens;
    if (prefix >= options.minCacheableTokens) {
      const lastPinned = pinned.length - 1;
      if (cacheable(pinned[lastPinned]!)) {
        breakpoints.push({
          layer: 'pinned',
          prefixTokens: prefix,
          ttl: stableTtl,
          position: { part: 'messages', index: 0, block: lastPinned },
        });
      }
    }
  }

  // Cumulative tokens at the end of each message.
  const messageEnds: number[] = [];
  let running = prefix;
  messages.forEach((message, index) => {
    const blocks = message.content as ContentBlockParam[];
    const own = blocks
      .slice(index === 0 ? pinned.length : 0)
      .reduce((sum, block) => sum + count(block), 0);
    running += own;
    messageEnds.push(running);
  });
  const historyTokens = running - prefix;

  const markEnd = (index: number) => {
    if (index < 0 || index >= messages.length) return;
    if (messageEnds[index]! < options.minCacheableTokens) return;
    const blocks = messages[index]!.content as ContentBlockParam[];
    for (let block = blocks.length - 1; block >= (index === 0 ? pinned.length : 0); block--) {
      if (!cacheable(blocks[block]!)) continue;
      if (
        breakpoints.some(
          (bp) =>
            bp.position.part === 'messages' &&
            bp.position.index === index &&
            bp.position.block === block,
        )
      )
        return;
      breakpoints.push({
        layer: 'history',
        prefixTokens: messageEnds[index]!,
        ttl: '5m',
        position: { part: 'messages', index, block },
      });
      return;
    }
  };
  markEnd(messages.length - previousRequestEndFromLast);
  markEnd(messages.length - 1);

  // Apply the markers on copies of the marked blocks.
  for (const breakpoint of breakpoints) {
    const cacheControl = {
      type: 'ephemeral' as const,
      ...(breakpoint.ttl === '1h' ? { ttl: '1h' as const } : {}),
    };
    const position = breakpoint.position;
    if (position.part === 'system') {
      systemBlocks[position.index] = {
        ...systemBlocks[position.index]!,
        cache_control: cacheControl,
      };
    } else if (position.part === 'tools') {
      tools![position.index] = {
        ...tools![position.index]!,
        cache_control: cacheControl,
      };
    } else {
      const blocks = [...(messages[position.index]!.content as ContentBlockParam[])];
      blocks[position.block] = {
        ...blocks[position.block]!,
        cache_control: cacheControl,
      } as ContentBlockParam;
      messages[position.index] = { ...messages[position.index]!, content: blocks } as MessageParam;
    }
  }

  return {
    ...(tools && tools.length > 0 ? { tools } : {}),
    ...(systemBlocks.length > 0 ? { system: systemBlocks } : {}),
    messages,
    breakpoints,
    inputTokens: running,
    layerTokens: {
      tools: toolTokens,
      system: systemTokens,
      pinned: pinnedTokens,
      history: historyTokens,
    },
  };
}

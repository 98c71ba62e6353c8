import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { defaultModelCatalog, type ModelCatalog, type ModelInfo } from '@keel/models';
import { generateObject } from '../structured/generate-object.ts';
import type {
  MessagesCallOptions,
  MessagesCaller,
  MessagesRequest,
} from '../call/messages-caller.ts';
import { estimateInputTokens } from '../tokens/estimate-tokens.ts';
import { assembleRequest, type Breakpoint } from './assemble-request.ts';
import { CacheBreakDetector, layerHashes, type CacheBreak } from './cache-break-detector.ts';
import { contentBlocks, type ContentBlockParam, type MessageParam } from './conversation-shape.ts';
import type { ContextState, ConversationStore, StoredMessage } from './conversation-store.ts';
import { bytesWithoutImageData, fitRequestMedia } from './fit-request-media.ts';
import type { MediaLimits } from '../vision/media-limits.ts';
import { recallTrimmed, type RecalledPassage } from './recall-trimmed.ts';
import { messageText, steppedWindow, type TrimStrategy } from './trim-strategy.ts';
import { isTruncationStop } from '../client/truncation-stop.ts';

export interface ContextManagerOptions {
  store: ConversationStore;
  /** Which part of the history is sent. Default: the cache-friendly stepped window. */
  strategy?: TrimStrategy;
  /** Share of the model's context window a request may fill, max_tokens included. Default 0.8. */
  windowShare?: number;
  /** Bring back trimmed turns the user refers to. Default true. */
  recall?: boolean;
  /**
   * Summarize trimmed turns with a cheap model into a pinned block, updated incrementally when
   * more turns are trimmed. Off unless a caller is given.
   */
  summarize?: { caller: MessagesCaller; model?: string };
  /** Extract facts, decisions and preferences from trimmed turns into a compact pinned memory. */
  memory?: { caller: MessagesCaller; model?: string };
  catalog?: ModelCatalog;
  /** Counts the tokens of a message; default Keel's offline estimate. */
  countMessageTokens?: (message: MessageParam) => number;
  /**
   * Request limits on images (bytes of the whole request, image count, many-images side). Older
   * images that do not fit are replaced by a short text in the request. Default: the API's.
   */
  mediaLimits?: Partial<MediaLimits>;
}

export interface PrepareTurnOptions {
  conversationId: string;
  ownerId: string;
  /** The new user message; stored before the request is built. Omit to continue (tool loops). */
  userMessage?: MessageParam;
  /**
   * `false`: the request includes `userMessage` but it is not stored; the caller stores it once the
   * turn's first call is admitted by the budgets, so a refused turn leaves nothing behind. Default true.
   */
  storeUserMessage?: boolean;
  /**
   * Tags of the summary and memory calls this turn may make (the user and session whose budgets
   * pay for them); their `feature` stays `context-summary` / `context-memory`.
   */
  tags?: MessagesCallOptions['tags'];
  model: string;
  maxTokens: number;
  system?: string | Anthropic.TextBlockParam[];
  tools?: Anthropic.ToolUnion[];
  /** Documents or retrieved context pinned for this conversation. */
  pinned?: ContentBlockParam[];
  /** Expected time until the next turn; above 5 minutes stable layers use the 1-hour TTL. */
  expectedReuseGapMs?: number;
}

export interface PreparedTurn {
  /** The request to send (without `stream`). */
  request: MessagesRequest;
  /** Messages of the history not sent this turn. */
  trimmedMessages: number;
  /** Trimmed turns brought back because the new message refers to them. */
  recalled: RecalledPassage[];
  /** The breakpoints placed. */
  breakpoints: Breakpoint[];
  /** Set when a layer that should be stable changed since the previous turn. */
  cacheBreak?: CacheBreak;
  /** Estimated tokens expected to be read from the cache (compare with the response's usage). */
  expectedCachedTokens: number;
  /** Images of earlier turns left out of this request to keep it within the API's limits. */
  omittedImages: number;
}

const memorySchema = z.object({
  facts: z
    .array(z.string())
    .describe('Concrete facts the user stated (ids, names, numbers, dates)'),
  decisions: z.array(z.string()).describe('Decisions taken in the conversation'),
  preferences: z.array(z.string()).describe('Stated preferences of the user'),
});

/**
 * Only finished turns are sent: never `streaming`, `incomplete` or `failed` ones (a turn the API
 * refused is left out with its user message, so it cannot make every later request fail).
 * Consecutive turns of one role (left by a dropped answer) are merged.
 */
function sendableHistory(stored: StoredMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const entry of stored) {
    if (entry.status !== 'complete') continue;
    const previous = out[out.length - 1];
    if (previous && previous.role === entry.message.role) {
      out[out.length - 1] = {
        role: previous.role,
        content: [...contentBlocks(previous), ...contentBlocks(entry.message)],
      } as MessageParam;
    } else {
      out.push(entry.message);
    }
  }
  return out;
}

function compact(list: string[], limit: number): string[] {
  return [...new Set(list.map((item) => item.trim()).filter(Boolean))].slice(-limit);
}

/**
 * Decides what each turn of a stored conversation sends: trims the history with a strategy that
 * keeps the cached prefix stable, never separates tool_use from tool_result, keeps thinking blocks
 * intact, fits the model's window with room for max_tokens, pins a summary and memory of what was
 * trimmed, recalls trimmed turns the user refers to, and places cache breakpoints.
 */
export class ContextManager {
  readonly #options: ContextManagerOptions;
  readonly #catalog: ModelCatalog;
  readonly #strategy: TrimStrategy;
  readonly #detectors = new Map<string, CacheBreakDetector>();
  readonly #lastPrefix = new Map<string, { start: number; tokens: number }>();

  constructor(options: ContextManagerOptions) {
    this.#options = options;
    this.#catalog = options.catalog ?? defaultModelCatalog();
    this.#strategy = options.strategy ?? steppedWindow();
  }

  /** A message's tokens: the caller's counter, else the estimate for the model's tokenizer. */
  #count(message: MessageParam, tokenizer: ModelInfo['tokenizer']): number {
    return (
      this.#options.countMessageTokens?.(message) ??
      estimateInputTokens({ messages: [message] }, { tokenizer })
    );
  }

  async prepareTurn(options: PrepareTurnOptions): Promise<PreparedTurn> {
    const { store } = this.#options;
    const storeUserMessage = options.storeUserMessage ?? true;
    if (options.userMessage && storeUserMessage)
      await store.append(options.conversationId, options.ownerId, options.userMessage);
    const conversation = await store.get(options.conversationId, options.ownerId);
    const stored = await store.messages(options.conversationId, options.ownerId);
    if (options.userMessage && !storeUserMessage) {
      stored.push({
        conversationId: options.conversationId,
        seq: (stored.at(-1)?.seq ?? 0) + 1,
        message: options.userMessage,
        status: 'complete',
        createdAtMs: 0,
      });
    }
    const history = sendableHistory(stored);
    const model = this.#catalog.get(options.model);

    const pinnedBase = options.pinned ?? [];
    const memoryBlock = (context: ContextState): ContentBlockParam[] => {
      const parts: string[] = [];
      if (context.summary) parts.push(`Summary of earlier turns:\n${context.summary}`);
      const memory = context.memory;
      if (memory.facts.length)
        parts.push(`Facts:\n${memory.facts.map((fact) => `- ${fact}`).join('\n')}`);
      if (memory.decisions.length)
        parts.push(`Decisions:\n${memory.decisions.map((item) => `- ${item}`).join('\n')}`);
      if (memory.preferences.length)
        parts.push(`Preferences:\n${memory.preferences.map((item) => `- ${item}`).join('\n')}`);
      return parts.length
        ? [
            {
              type: 'text',
              text: `<conversation_memory>\n${parts.join('\n\n')}\n</conversation_memory>`,
            },
          ]
        : [];
    };

    const fixedTokens =
      estimateInputTokens(
        {
          messages: [],
          ...(options.system !== undefined ? { system: options.system } : {}),
          ...(options.tools ? { tools: options.tools as Anthropic.Tool[] } : {}),
        },
        { tokenizer: model.tokenizer },
      ) +
      pinnedBase.reduce(
        (sum, block) => sum + this.#count({ role: 'user', content: [block] }, model.tokenizer),
        0,
      ) +
      600;
    const windowShare = this.#options.windowShare ?? 0.8;
    const budgetTokens =
      Math.floor(model.contextWindow * windowShare) - options.maxTokens - fixedTokens;

    const trimmed = this.#strategy.trim({
      messages: history,
      budgetTokens,
      countTokens: (message) => this.#count(message, model.tokenizer),
      state: { start: Math.min(conversation.context.trimStart, history.length - 1) },
    });

    let context = conversation.context;
    if (trimmed.start > context.trimStart) {
      context = await this.#remember(
        context,
        history.slice(context.trimStart, trimmed.start),
        options.tags,
      );
    }
    context = { ...context, trimStart: trimmed.start };
    await store.saveContext(options.conversationId, options.ownerId, context);

    const messages = [...trimmed.messages];
    let recalled: RecalledPassage[] = [];
    if (trimmed.start > 0 && (this.#options.recall ?? true) && messages.length > 0) {
      const last = messages[messages.length - 1]!;
      if (last.role === 'user') {
        recalled = recallTrimmed({
          trimmed: history.slice(0, trimmed.start),
          query: messageText(last),
        });
        if (recalled.length > 0) {
          const note = `Recalled from earlier in this conversation:\n${recalled.map((passage) => `- ${passage.text}`).join('\n')}`;
          messages[messages.length - 1] = {
            role: 'user',
            content: [...contentBlocks(last), { type: 'text', text: note }],
          } as MessageParam;
        }
      }
    }

    const pinned = [...pinnedBase, ...memoryBlock(context)];
    const fitted = fitRequestMedia({
      messages,
      otherBytes: bytesWithoutImageData({
        system: options.system,
        tools: options.tools,
        pinned,
        messages,
      }),
      ...(this.#options.mediaLimits ? { limits: this.#options.mediaLimits } : {}),
    });
    messages.splice(0, messages.length, ...fitted.messages);
    const assembled = assembleRequest({
      ...(options.tools ? { tools: options.tools } : {}),
      ...(options.system !== undefined ? { system: options.system } : {}),
      pinned,
      messages,
      minCacheableTokens: model.minCacheableTokens,
      countTokens: (value) =>
        estimateInputTokens(
          { messages: [{ role: 'user', content: [value as ContentBlockParam] }] },
          { tokenizer: model.tokenizer },
        ),
      ...(options.expectedReuseGapMs !== undefined
        ? { expectedReuseGapMs: options.expectedReuseGapMs }
        : {}),
    });

    let detector = this.#detectors.get(options.conversationId);
    if (!detector)
      this.#detectors.set(options.conversationId, (detector = new CacheBreakDetector()));
    const cacheBreak = detector.check(
      layerHashes(assembled, pinned.length),
      assembled.layerTokens,
      model.id,
    );

    // What should be read from the cache: the previous request's prefix when nothing before it changed.
    const previous = this.#lastPrefix.get(options.conversationId);
    const previousEnd = assembled.breakpoints.find(
      (bp) =>
        bp.position.part === 'messages' && bp.position.index === assembled.messages.length - 3,
    );
    const stable = assembled.breakpoints.filter((bp) => bp.layer !== 'history').at(-1);
    const expectedCachedTokens = cacheBreak
      ? 0
      : previous && previous.start === trimmed.start && previousEnd
        ? previousEnd.prefixTokens
        : previous
          ? (stable?.prefixTokens ?? 0)
          : 0;
    this.#lastPrefix.set(options.conversationId, {
      start: trimmed.start,
      tokens: assembled.inputTokens,
    });

    return {
      request: {
        model: options.model,
        max_tokens: options.maxTokens,
        ...(assembled.system ? { system: assembled.system } : {}),
        ...(assembled.tools ? { tools: assembled.tools } : {}),
        messages: assembled.messages,
      },
      trimmedMessages: trimmed.start,
      recalled,
      breakpoints: assembled.breakpoints,
      ...(cacheBreak ? { cacheBreak } : {}),
      expectedCachedTokens,
      omittedImages: fitted.omittedImages,
    };
  }

  /** Folds newly trimmed turns into the summary and the structured memory. */
  async #remember(
    context: ContextState,
    dropped: MessageParam[],
    tags: MessagesCallOptions['tags'],
  ): Promise<ContextState> {
    const transcript = dropped
      .map((message) => `${message.role}: ${messageText(message)}`)
      .join('\n')
      .slice(0, 40_000);
    let { summary, memory } = context;
    const summarize = this.#options.summarize;
    if (summarize && transcript) {
      const response = await summarize.caller.create(
        {
          model: summarize.model ?? 'claude-haiku-5-5',
          max_tokens: 600,
          system:
            'You maintain a running summary of a conversation for an assistant that can no longer see its older turns. Keep every concrete detail the user may refer to later (ids, names, numbers, dates, commitments). Plain prose, at most 250 words.',
          messages: [
            {
              role: 'user',
              content: `${summary ? `Current summary:\n${summary}\n\n` : ''}Turns to fold in:\n${transcript}\n\nWrite the updated summary.`,
            },
          ],
        },
        { tags: { ...tags, feature: 'context-summary' } },
      );
      const text = response.content
        .flatMap((block) => (block.type === 'text' ? [block.text] : []))
        .join('')
        .trim();
      if (text && !isTruncationStop(response.stop_reason)) summary = text;
    }
    const memoryOptions = this.#options.memory;
    if (memoryOptions && transcript) {
      try {
        const { object } = await generateObject({
          caller: memoryOptions.caller,
          model: memoryOptions.model ?? 'claude-haiku-5-5',
          schema: memorySchema,
          system:
            'Extract what an assistant must remember from these conversation turns. Short items, no duplicates.',
          messages: [{ role: 'user', content: transcript }],
          maxTokens: 800,
          tags: { ...tags, feature: 'context-memory' },
        });
        memory = {
          facts: compact([...memory.facts, ...object.facts], 40),
          decisions: compact([...memory.decisions, ...object.decisions], 20),
          preferences: compact([...memory.preferences, ...object.preferences], 20),
        };
      } catch {
        // Memory is an optimisation: a failed extraction keeps the previous memory unchanged.
      }
    }
    return { ...context, summary, memory };
  }
}

import type Anthropic from '@anthropic-ai/sdk';
import { defaultModelCatalog, type ModelCatalog, type ModelInfo } from '@keel/models';
import type {
  MessagesCallOptions,
  MessagesCaller,
  MessagesRequest,
} from '../call/messages-caller.ts';
import { createKeelLogger } from '../logging/call-logger.ts';
import type { PromptTemplate } from '../prompts/prompt-template.ts';
import { resolveModel } from '../agent/model-settings.ts';
import { estimateInputTokens } from '../tokens/estimate-tokens.ts';
import { childLogger, silentLogger, type ToolLogger } from '../tools/tool-context.ts';
import type { MediaLimits } from '../vision/media-limits.ts';
import {
  assembleRequest,
  type AssembledRequest,
  type Breakpoint,
} from '../cache/assemble-request.ts';
import { findCacheBreak, layerHashes, type CacheBreak } from '../cache/cache-break-detector.ts';
import { contextPrompts } from './context-prompts.ts';
import { conversationMemoryBlock } from './conversation-memory-block.ts';
import type { ContentBlockParam, MessageParam } from '../call/conversation-shape.ts';
import type { ContextState, Conversation, ConversationStore } from './conversation-store.ts';
import { expectedCachedTokens } from '../cache/expected-cached-tokens.ts';
import { defaultWindowShare, fitHistoryToWindow } from './fit-history-to-window.ts';
import { bytesWithoutImageData, fitRequestMedia } from './fit-request-media.ts';
import { foldTrimmedTurns, type CheapPrompt } from './fold-trimmed-turns.ts';
import { recallIntoLastMessage, type RecalledPassage } from './recall-trimmed.ts';
import { sendableHistory, withUnstoredMessage } from './sendable-history.ts';
import { steppedWindow, type TrimResult, type TrimStrategy } from './trim-strategy.ts';

/** A cheap model for the summary or memory of trimmed turns. */
export interface CheapModelOptions {
  caller: MessagesCaller;
  /**
   * Default: the model the caller's routing table (`MessagesCaller.route`, else the shipped table
   * for KEEL_ENV) picks for the prompt file's task.
   */
  model?: string;
}

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
   * more turns are trimmed (prompts/context-summary.md, task `summarization`). Off unless a
   * caller is given.
   */
  summarize?: CheapModelOptions;
  /**
   * Extract facts, decisions and preferences from trimmed turns into a compact pinned memory
   * (prompts/context-memory.md, task `data_extraction`). Off unless a caller is given.
   */
  memory?: CheapModelOptions;
  catalog?: ModelCatalog;
  /** Counts the tokens of a message; default Keel's offline estimate. */
  countMessageTokens?: (message: MessageParam) => number;
  /**
   * Request limits on images (bytes of the whole request, image count, many-images side). Older
   * images that do not fit are replaced by a short text in the request. Default: the API's.
   */
  mediaLimits?: Partial<MediaLimits>;
  /**
   * Where a summary or memory step that failed and kept the previous one is told (a pino logger
   * fits). Default: Keel's logger (pino on stderr, `KEEL_LOG_LEVEL`) when either step is on.
   */
  logger?: ToolLogger;
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
  /**
   * Makes this turn's summary and memory calls in place of the configured caller (same model), so
   * the turn can count what they cost. Default: the caller given to the manager.
   */
  caller?: MessagesCaller;
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

/**
 * Decides what each turn of a stored conversation sends: trims the history with a strategy that
 * keeps the cached prefix stable, never separates tool_use from tool_result, keeps thinking blocks
 * intact, fits the model's window with room for max_tokens, pins a summary and memory of what was
 * trimmed, recalls trimmed turns the user refers to, keeps images within the API's limits, and
 * places cache breakpoints.
 *
 * Holds no state of its own between turns: what a conversation needs next turn (where trimming
 * starts, summary, memory, the cached layers of the last request) is stored with it, so any
 * number of processes can serve it, before and after a restart.
 */
export class ContextManager {
  readonly #options: ContextManagerOptions;
  readonly #catalog: ModelCatalog;
  readonly #strategy: TrimStrategy;
  readonly #logger: ToolLogger;
  readonly #summarize: CheapPrompt | undefined;
  readonly #memory: CheapPrompt | undefined;

  constructor(options: ContextManagerOptions) {
    this.#options = options;
    this.#catalog = options.catalog ?? defaultModelCatalog();
    this.#strategy = options.strategy ?? steppedWindow();
    // Only the summary and memory steps log.
    this.#logger =
      options.logger ?? (options.summarize || options.memory ? createKeelLogger() : silentLogger);
    const prompts = contextPrompts();
    const cheap = (model: CheapModelOptions | undefined, prompt: PromptTemplate) =>
      model && {
        caller: model.caller,
        // The prompt file's task, routed by the caller's table (or the shipped one).
        model: resolveModel(model, model.caller, prompt.settings().task),
        prompt,
      };
    this.#summarize = cheap(options.summarize, prompts.summary);
    this.#memory = cheap(options.memory, prompts.memory);
  }

  async prepareTurn(options: PrepareTurnOptions): Promise<PreparedTurn> {
    const { conversation, history } = await this.#history(options);
    const previous = conversation.context;
    const model = this.#catalog.get(options.model);
    const trimmed = this.#fitToWindow(options, history, previous.trimStart, model);
    const remembered =
      trimmed.start > previous.trimStart
        ? await this.#fold(options, previous, history.slice(previous.trimStart, trimmed.start))
        : previous;
    const { messages, recalled } =
      (this.#options.recall ?? true)
        ? recallIntoLastMessage({
            messages: trimmed.messages,
            trimmed: history.slice(0, trimmed.start),
          })
        : { messages: trimmed.messages, recalled: [] };
    const pinned = [...(options.pinned ?? []), ...conversationMemoryBlock(remembered)];
    const { assembled, omittedImages } = this.#assemble(options, messages, pinned, model);

    const layers = layerHashes(assembled, pinned.length);
    const cacheBreak = findCacheBreak({
      previous: previous.lastRequestLayers,
      current: layers,
      layerTokens: assembled.layerTokens,
      model: model.id,
    });
    await this.#options.store.saveContext(options.conversationId, options.ownerId, {
      ...remembered,
      trimStart: trimmed.start,
      lastRequestLayers: layers,
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
      expectedCachedTokens: expectedCachedTokens({
        assembled,
        cacheBreak,
        hasPreviousRequest: previous.lastRequestLayers !== undefined,
        sameStart: previous.trimStart === trimmed.start,
      }),
      omittedImages,
    };
  }

  /** The conversation and its sendable history, the new user message stored first unless deferred. */
  async #history(
    options: PrepareTurnOptions,
  ): Promise<{ conversation: Conversation; history: MessageParam[] }> {
    const { store } = this.#options;
    const { conversationId, ownerId, userMessage } = options;
    const storeUserMessage = options.storeUserMessage ?? true;
    if (userMessage && storeUserMessage) await store.append(conversationId, ownerId, userMessage);
    const conversation = await store.get(conversationId, ownerId);
    const stored = await store.messages(conversationId, ownerId);
    const unstored = storeUserMessage ? undefined : userMessage;
    return { conversation, history: sendableHistory(withUnstoredMessage(stored, unstored)) };
  }

  /** The part of the history that fits the window this turn (see fit-history-to-window.ts). */
  #fitToWindow(
    options: PrepareTurnOptions,
    history: MessageParam[],
    previousStart: number,
    model: ModelInfo,
  ): TrimResult {
    return fitHistoryToWindow({
      history,
      model,
      maxTokens: options.maxTokens,
      system: options.system,
      tools: options.tools,
      pinned: options.pinned ?? [],
      windowShare: this.#options.windowShare ?? defaultWindowShare,
      strategy: this.#strategy,
      previousStart,
      countMessageTokens: (message) => this.#count(message, model.tokenizer),
    });
  }

  /** Summary and memory updated with the turns trimmed since the previous turn. */
  #fold(
    options: PrepareTurnOptions,
    context: ContextState,
    dropped: MessageParam[],
  ): Promise<ContextState> {
    return foldTrimmedTurns({
      context,
      dropped,
      summarize: withCaller(this.#summarize, options.caller),
      memory: withCaller(this.#memory, options.caller),
      ...(options.tags ? { tags: options.tags } : {}),
      logger: childLogger(this.#logger, { conversationId: options.conversationId }),
    });
  }

  /** Older images fitted to the API's limits, then the layers assembled with cache breakpoints. */
  #assemble(
    options: PrepareTurnOptions,
    messages: MessageParam[],
    pinned: ContentBlockParam[],
    model: ModelInfo,
  ): { assembled: AssembledRequest; omittedImages: number } {
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
    const assembled = assembleRequest({
      ...(options.tools ? { tools: options.tools } : {}),
      ...(options.system !== undefined ? { system: options.system } : {}),
      pinned,
      messages: fitted.messages,
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
    return { assembled, omittedImages: fitted.omittedImages };
  }

  /** A message's tokens: the caller's counter, else the estimate for the model's tokenizer. */
  #count(message: MessageParam, tokenizer: ModelInfo['tokenizer']): number {
    return (
      this.#options.countMessageTokens?.(message) ??
      estimateInputTokens({ messages: [message] }, { tokenizer })
    );
  }
}

/** A cheap prompt whose calls go through another caller (the model stays the one resolved). */
function withCaller(
  cheap: CheapPrompt | undefined,
  caller: MessagesCaller | undefined,
): CheapPrompt | undefined {
  return cheap && caller ? { ...cheap, caller } : cheap;
}

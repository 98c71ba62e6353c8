import type { MessageCountTokensParams } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ModelCatalog } from '@keel/models';
import { estimateMaxCost } from '../cost/estimate-max-cost.ts';
import { estimateInputTokens, type TokenizerFamily } from '../tokens/estimate-tokens.ts';
import type { BudgetTags, ReserveOptions } from './budget-manager.ts';

/** The parts of a request that decide its worst-case cost. */
export interface WorstCaseRequest {
  messages: MessageCountTokensParams['messages'];
  system?: MessageCountTokensParams['system'];
  tools?: MessageCountTokensParams['tools'];
  output_config?: { format?: { schema?: unknown } | null } | null;
  /** Automatic prompt caching (a breakpoint the API places on the last cacheable block). */
  cache_control?: unknown;
  /** The output ceiling, thinking included. */
  max_tokens: number;
  inference_geo?: string | null;
}

/** Options of {@link worstCaseReservation}. */
export interface WorstCaseReservationOptions {
  /** The request exactly as it will be sent (history, images, tools, system, `max_tokens`). */
  request: WorstCaseRequest;
  /** Every model that may serve it: the requested one and its fallbacks. */
  models: readonly string[];
  /** Prices and tokenizers. */
  catalog: ModelCatalog;
  /** The budget scopes of the call. */
  tags: BudgetTags;
}

/**
 * What a call must hold before it is sent, so that no outcome can cost more: input counted with the
 * larger tokenizer of any model in the chain (Keel's estimate errs high: images and PDF pages at
 * their documented maximum, the tool-use system prompt at its largest), every input token priced
 * as a cache write of the longest TTL the request asks for (the dearest way its input can bill;
 * plain input when it sets no `cache_control` at all, since nothing else writes the cache), the
 * full `max_tokens` of output, the long-context tier and geo multiplier applied, at the model of
 * the chain where all of that costs most. A model without a price is chosen outright, so a money limit refuses it rather than
 * guessing.
 */
export function worstCaseReservation(options: WorstCaseReservationOptions): ReserveOptions {
  const { request, models, catalog } = options;
  // The newer tokenizer counts at least as high as the older on every kind of content.
  let tokenizer: TokenizerFamily = 'claude-3';
  for (const model of models) {
    if (catalog.find(model)?.tokenizer !== 'claude-3') tokenizer = 'claude-4-7';
  }
  const inputTokens = estimateInputTokens(request, { tokenizer });
  const maxWebSearches = webSearchCeiling(request.tools);
  const cacheWriteTtl = longestCacheTtl(request);
  let chosen = models[0]!;
  let highest = -1n;
  for (const model of models) {
    const estimate = estimateMaxCost({
      model,
      inputTokens,
      maxOutputTokens: request.max_tokens,
      catalog,
      inferenceGeo: request.inference_geo ?? null,
      maxWebSearches,
      cacheWriteTtl,
    });
    if (!estimate.priced) {
      chosen = model;
      break;
    }
    if (estimate.picoUsd > highest) {
      highest = estimate.picoUsd;
      chosen = model;
    }
  }
  return {
    tags: options.tags,
    model: chosen,
    estimatedInputTokens: inputTokens,
    maxOutputTokens: request.max_tokens,
    inferenceGeo: request.inference_geo ?? null,
    maxWebSearches,
    cacheWriteTtl,
  };
}

/**
 * The longest cache TTL any breakpoint of the request writes with: `1h` if one asks for it, `5m`
 * for any other `cache_control` (top-level automatic caching included), null when there is none.
 * Every block is searched (system, tools, messages, tool results), without descending into strings.
 */
function longestCacheTtl(request: WorstCaseRequest): '5m' | '1h' | null {
  let longest: '5m' | '1h' | null = null;
  const visit = (value: unknown): boolean => {
    if (!value || typeof value !== 'object') return false;
    if (Array.isArray(value)) return value.some(visit);
    const record = value as Record<string, unknown>;
    const control = record.cache_control as { ttl?: unknown } | null | undefined;
    if (control && typeof control === 'object') {
      if (control.ttl === '1h') return true;
      longest = '5m';
    }
    for (const key in record) {
      // Base64 images and documents are strings: nothing to find inside them.
      if (key !== 'cache_control' && typeof record[key] === 'object' && visit(record[key]))
        return true;
    }
    return false;
  };
  const found1h =
    visit(request.cache_control ? { cache_control: request.cache_control } : null) ||
    visit(request.system) ||
    visit(request.tools) ||
    visit(request.messages);
  return found1h ? '1h' : longest;
}

/**
 * The most web searches a request may run: the sum of its web search tools' `max_uses`. A web
 * search tool without `max_uses` has no ceiling the request states; it counts as 10 searches
 * (Keel's guess, documented here: set `max_uses` for a true bound).
 */
function webSearchCeiling(tools: WorstCaseRequest['tools']): number {
  let searches = 0;
  for (const tool of tools ?? []) {
    const { type, max_uses: maxUses } = tool as { type?: unknown; max_uses?: unknown };
    if (typeof type !== 'string' || !type.startsWith('web_search')) continue;
    searches += typeof maxUses === 'number' ? maxUses : 10;
  }
  return searches;
}

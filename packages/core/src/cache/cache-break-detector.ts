import { createHash } from 'node:crypto';
import { computeCost } from '../cost/compute-cost.ts';
import { formatPicoUsd } from '../cost/pico-usd.ts';
import type { AssembledRequest, LayerName } from './assemble-request.ts';

/** A layer that should have stayed the same between two requests of one conversation, and did not. */
export interface CacheBreak {
  layer: Exclude<LayerName, 'history'>;
  previousHash: string;
  currentHash: string;
  /** Tokens that are now written to the cache again instead of read from it (this layer onward). */
  tokensRewritten: number;
  /** What the break costs on this request versus a cache hit, exact, in picodollars (null when unpriced). */
  extraCostPicoUsd: bigint | null;
  /** The same as decimal USD text, e.g. "0.0103125" (null when unpriced). */
  extraCostUsd: string | null;
}

/** The layers that should not change from one request of a conversation to the next. */
export type StableLayer = Exclude<LayerName, 'history'>;
const stableLayers: StableLayer[] = ['tools', 'system', 'pinned'];

/** Content hashes of a request's stable layers (cache markers left out). */
export type LayerHashes = Record<StableLayer, string>;

function hashOf(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('hex')
    .slice(0, 16);
}

/** The hashes of the stable layers of an assembled request. */
export function layerHashes(
  request: Pick<AssembledRequest, 'tools' | 'system' | 'messages' | 'breakpoints'>,
  pinnedCount: number,
): LayerHashes {
  const strip = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value ?? null, (key, inner: unknown) =>
        key === 'cache_control' ? undefined : inner,
      ),
    );
  const first = request.messages[0];
  const pinned =
    first && typeof first.content !== 'string' ? first.content.slice(0, pinnedCount) : [];
  return {
    tools: hashOf(strip(request.tools)),
    system: hashOf(strip(request.system)),
    pinned: hashOf(strip(pinned)),
  };
}

/** Options of {@link findCacheBreak}. */
export interface FindCacheBreakOptions {
  /** The stable layers of the conversation's previous request; undefined for its first request. */
  previous: LayerHashes | undefined;
  /** The stable layers of this request. */
  current: LayerHashes;
  /** Tokens of each layer of this request. */
  layerTokens: Record<LayerName, number>;
  /** The model the request goes to, for the price of the break. */
  model: string;
}

/**
 * Says which stable layer changed since the previous request of a conversation, and what that
 * costs: a changed tool definition or system prompt invalidates the cached prefix from that
 * layer onward, so every following token is written again at the write price instead of read at
 * a tenth of the input price. Undefined when nothing changed or there is no previous request.
 */
export function findCacheBreak(options: FindCacheBreakOptions): CacheBreak | undefined {
  const { previous, current: hashes, layerTokens, model } = options;
  if (!previous) return undefined;
  const changedIndex = stableLayers.findIndex((layer) => previous[layer] !== hashes[layer]);
  if (changedIndex === -1) return undefined;
  const layer = stableLayers[changedIndex]!;
  const order: LayerName[] = ['tools', 'system', 'pinned', 'history'];
  const tokensRewritten = order
    .slice(changedIndex)
    .reduce((sum, name) => sum + layerTokens[name], 0);
  // Priced by the same exact rules as every response: written at the 5-minute write rate
  // instead of read at the cache-read rate.
  const written = computeCost({
    model,
    usage: {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: tokensRewritten,
      cache_read_input_tokens: 0,
    },
  });
  const read = computeCost({
    model,
    usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: tokensRewritten },
  });
  const extraCostPicoUsd = written.priced && read.priced ? written.picoUsd - read.picoUsd : null;
  const extraCostUsd = extraCostPicoUsd === null ? null : formatPicoUsd(extraCostPicoUsd);
  return {
    layer,
    previousHash: previous[layer],
    currentHash: hashes[layer],
    tokensRewritten,
    extraCostPicoUsd,
    extraCostUsd,
  };
}

/**
 * {@link findCacheBreak} for one conversation, remembering the previous request in memory (the
 * ContextManager keeps it with the stored conversation instead, see `ContextState`).
 */
export class CacheBreakDetector {
  #previous?: LayerHashes;

  /** Compares with the previous request; returns the first changed layer, if any. */
  check(
    hashes: LayerHashes,
    layerTokens: Record<LayerName, number>,
    model: string,
  ): CacheBreak | undefined {
    const previous = this.#previous;
    this.#previous = hashes;
    return findCacheBreak({ previous, current: hashes, layerTokens, model });
  }
}

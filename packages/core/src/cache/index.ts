export {
  assembleRequest,
  type AssembleOptions,
  type AssembledRequest,
  type Breakpoint,
  type CacheTtl,
  type LayerName,
  type TokenCounter,
} from './assemble-request.ts';
export {
  CacheBreakDetector,
  findCacheBreak,
  layerHashes,
  type CacheBreak,
  type FindCacheBreakOptions,
  type LayerHashes,
  type StableLayer,
} from './cache-break-detector.ts';

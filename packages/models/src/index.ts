export {
  ModelCatalog,
  UnknownModelError,
  defaultCatalogPath,
  defaultModelCatalog,
  loadModelCatalog,
  parseModelCatalog,
} from './model-catalog.ts';
export { effortLevels } from './model-schema.ts';
export {
  structuredOutputStringFormats,
  structuredOutputUnsupportedKeywords,
} from './structured-output-subset.ts';
export type {
  CatalogFile,
  EffortLevel,
  ModelLifecycle,
  ModelSource,
  LongContextTier,
  ModelCapabilities,
  ModelInfo,
  ModelPricing,
} from './model-schema.ts';

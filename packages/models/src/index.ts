export {
  ModelCatalog,
  UnknownModelError,
  defaultCatalogPath,
  defaultModelCatalog,
  loadModelCatalog,
  parseModelCatalog,
} from './model-catalog.ts';
export type {
  CatalogFile,
  LongContextTier,
  ModelCapabilities,
  ModelInfo,
  ModelPricing,
} from './model-schema.ts';

import { z } from 'zod';

const dollarsPerMillion = z.number().nonnegative();

/** A long-context tier: above the threshold, every token of the request is billed at these rates. */
export const longContextTierSchema = z.strictObject({
  /** The tier applies when input + cache writes + cache reads exceed this many tokens. */
  thresholdInputTokens: z.number().int().positive(),
  input: dollarsPerMillion,
  output: dollarsPerMillion,
  /** The context window the tier unlocks. */
  contextWindow: z.number().int().positive(),
  /** The beta header that unlocks the larger window, if one is needed. */
  beta: z.string().nullable(),
});

export const pricingSchema = z.strictObject({
  input: dollarsPerMillion,
  output: dollarsPerMillion,
  cacheWrite5m: dollarsPerMillion,
  cacheWrite1h: dollarsPerMillion,
  cacheRead: dollarsPerMillion,
  /** The multiplier the Batch API applies (0.5 = half price). */
  batchDiscount: z.number().positive().max(1),
  /** Multiplier for `inference_geo: "us"`, or null where the model has no such surcharge. */
  inferenceGeoUsMultiplier: z.number().positive().nullable(),
  longContext: longContextTierSchema.nullable(),
  /** Where the prices were read. */
  source: z.string().min(1),
  /** The date the prices were last confirmed (YYYY-MM-DD). */
  asOf: z.iso.date(),
});

export const capabilitiesSchema = z.strictObject({
  thinking: z.strictObject({ enabled: z.boolean(), adaptive: z.boolean() }),
  /** The `output_config.effort` levels the model accepts; empty when effort is unsupported. */
  effort: z.array(z.enum(['low', 'medium', 'high', 'max'])),
  structuredOutputs: z.boolean(),
  vision: z.boolean(),
  pdf: z.boolean(),
  citations: z.boolean(),
  batch: z.boolean(),
});

export const modelSchema = z.strictObject({
  id: z.string().regex(/^claude-[a-z0-9-]+$/),
  aliases: z.array(z.string().regex(/^claude-[a-z0-9-]+$/)),
  displayName: z.string().min(1),
  family: z.enum(['opus', 'sonnet', 'haiku']),
  releasedAt: z.iso.date(),
  /** When the model stops being served (still priced, for historical usage), or null. */
  retirement: z.strictObject({ retiresAt: z.iso.date(), source: z.string().min(1) }).nullable(),
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  /** The shortest prefix, in tokens, that the prompt cache will store for this model. */
  minCacheableTokens: z.number().int().positive(),
  capabilities: capabilitiesSchema,
  /** List prices, or null for a model whose price is unknown (reported as unpriced, never $0). */
  pricing: pricingSchema.nullable(),
});

export const catalogFileSchema = z.strictObject({
  $comment: z.string().optional(),
  defaults: z.strictObject({
    cacheWrite5mMultiplier: z.number().positive(),
    cacheWrite1hMultiplier: z.number().positive(),
    cacheReadMultiplier: z.number().positive(),
    batchDiscount: z.number().positive().max(1),
  }),
  models: z.array(modelSchema).min(1),
});

export type LongContextTier = z.infer<typeof longContextTierSchema>;
export type ModelPricing = z.infer<typeof pricingSchema>;
export type ModelCapabilities = z.infer<typeof capabilitiesSchema>;
export type ModelInfo = z.infer<typeof modelSchema>;
export type CatalogFile = z.infer<typeof catalogFileSchema>;

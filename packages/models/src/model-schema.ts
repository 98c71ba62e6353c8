import { z } from 'zod';

const dollarsPerMillion = z.number().nonnegative();

/**
 * A prompt-size tier: above the threshold, every token of the request is billed at these rates
 * (cache writes and reads at the catalog's multipliers of the tier's input rate). Used both for
 * the 1M-context beta premium of older models and for Haiku 5.5's 100,000-token prompt tier.
 */
const longContextTierSchema = z.strictObject({
  /** The tier applies when input + cache writes + cache reads exceed this many tokens. */
  thresholdInputTokens: z.number().int().positive(),
  input: dollarsPerMillion,
  output: dollarsPerMillion,
  /** The context window within the tier (the window it unlocks, or the model's own window). */
  contextWindow: z.number().int().positive(),
  /** The beta header that unlocks the larger window, if one is needed. */
  beta: z.string().nullable(),
});

const pricingSchema = z.strictObject({
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

export const effortLevels = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

/** A figure's source: the page it was read from and the date it was read or confirmed. */
const sourceSchema = z.strictObject({
  url: z.string().min(1),
  asOf: z.iso.date(),
  /** Which figures of the entry this source gives. */
  covers: z.string().min(1),
});

const lifecycleSchema = z.strictObject({
  /**
   * `active`: current; `legacy`: superseded but served with no announced retirement;
   * `deprecated`: retirement announced (requests still answer); `retired`: requests fail.
   */
  status: z.enum(['active', 'legacy', 'deprecated', 'retired']),
  deprecatedAt: z.iso.date().nullable(),
  /** The first day requests to the model fail, or null when none is announced. */
  retiresAt: z.iso.date().nullable(),
  /** Where the lifecycle was read. */
  source: z.string().min(1),
});

const capabilitiesSchema = z.strictObject({
  thinking: z.strictObject({
    /** Manual thinking (`type: "enabled"` with `budget_tokens`) is accepted. */
    enabled: z.boolean(),
    /** `type: "adaptive"` is accepted. */
    adaptive: z.boolean(),
    /** Thinking cannot be turned off (the model thinks adaptively whatever the request says). */
    alwaysOn: z.boolean(),
    /**
     * `type: "between_tools"` is accepted (no up-front thinking; progress updates between tool
     * calls still come back as thinking blocks), and it replaces `"disabled"`, which is refused.
     */
    betweenTools: z.boolean(),
    /** The `thinking.display` a request gets when it names none. */
    defaultDisplay: z.enum(['summarized', 'omitted']),
    /**
     * Text the model writes between tool calls comes back in `thinking` blocks (empty unless the
     * display returns it) instead of `text` blocks.
     */
    toolTextInThinking: z.boolean(),
    /**
     * Preserved thinking: a thinking block passed back is checked against what came before it
     * (system, tools, earlier messages); a changed prefix is a 400.
     */
    preservedThinking: z.boolean(),
  }),
  /** The `output_config.effort` levels the model accepts; empty when effort is unsupported. */
  effort: z.array(z.enum(effortLevels)),
  /** The effort the model uses when the request names none; null when effort is unsupported. */
  defaultEffort: z.enum(effortLevels).nullable(),
  /**
   * `any`: temperature/top_p/top_k accepted; `defaults-only`: the model rejects non-default
   * sampling parameters whatever the API version.
   */
  samplingParameters: z.enum(['any', 'defaults-only']),
  /** A trailing assistant turn (prefill) is accepted. */
  prefill: z.boolean(),
  /** `tool_choice` `any` / `tool` (forced tool use) is accepted. */
  forcedToolChoice: z.boolean(),
  /**
   * When input + max_tokens pass the context window, the model answers
   * `stop_reason: "model_context_window_exceeded"` instead of a 400.
   */
  contextWindowExceededStop: z.boolean(),
  /**
   * `role: "system"` messages inside `messages` are accepted (mid-conversation system messages,
   * no beta header); on other models they are a 400.
   */
  midConversationSystemMessages: z.boolean(),
  structuredOutputs: z.boolean(),
  vision: z.boolean(),
  pdf: z.boolean(),
  citations: z.boolean(),
  batch: z.boolean(),
});

const modelSchema = z.strictObject({
  id: z.string().regex(/^claude-[a-z0-9-]+$/),
  aliases: z.array(z.string().regex(/^claude-[a-z0-9-]+$/)),
  displayName: z.string().min(1),
  family: z.enum(['fable', 'mythos', 'opus', 'sonnet', 'haiku']),
  releasedAt: z.iso.date(),
  /** Where the model is in its life; a retired model stays listed so historic usage is priced. */
  lifecycle: lifecycleSchema,
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  /** The shortest prefix, in tokens, that the prompt cache will store for this model. */
  minCacheableTokens: z.number().int().positive(),
  /** `claude-4-7`: the newer tokenizer of Opus 4.7 and later (about 30% more tokens per text). */
  tokenizer: z.enum(['claude-3', 'claude-4-7']),
  capabilities: capabilitiesSchema,
  /** List prices, or null for a model whose price is unknown (reported as unpriced, never $0). */
  pricing: pricingSchema.nullable(),
  /** Where the entry's figures (limits, capabilities, tokenizer) were read. */
  sources: z.array(sourceSchema).min(1),
  /** What could not be sourced, or what a figure's reading rests on. */
  notes: z.array(z.string().min(1)),
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

export type EffortLevel = (typeof effortLevels)[number];
export type ModelLifecycle = z.infer<typeof lifecycleSchema>;
export type ModelSource = z.infer<typeof sourceSchema>;
export type LongContextTier = z.infer<typeof longContextTierSchema>;
export type ModelPricing = z.infer<typeof pricingSchema>;
export type ModelCapabilities = z.infer<typeof capabilitiesSchema>;
export type ModelInfo = z.infer<typeof modelSchema>;
export type CatalogFile = z.infer<typeof catalogFileSchema>;

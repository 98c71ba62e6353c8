import { z } from 'zod';
import { budgetLimitConfigSchema } from '../budget/budget-limit.ts';
import { environmentSchema, routingOverrideSchema } from '../routing/routing-schema.ts';

const positiveMs = z.number().int().positive();

/** The `resilience` section. */
export const resilienceConfigSchema = z.strictObject({
  /** Retries per call across the fallback chain. */
  maxRetries: z.number().int().min(0).max(20).optional(),
  /** Attempts on one model before an overload/5xx moves to the next model. */
  maxAttemptsPerModel: z.number().int().min(1).optional(),
  /** Timeout of one HTTP attempt, ms. */
  timeoutMs: positiveMs.optional(),
  /** Longest silence of a stream (before its first event, between events), ms. */
  idleTimeoutMs: positiveMs.optional(),
  /** Time allowed for a whole call including retries, ms. */
  totalTimeoutMs: positiveMs.optional(),
  /** Upper bound on a server-requested wait, ms. */
  maxRetryAfterMs: positiveMs.optional(),
  backoff: z
    .strictObject({
      initialDelayMs: positiveMs.optional(),
      maxDelayMs: positiveMs.optional(),
      jitter: z.number().min(0).max(1).optional(),
    })
    .optional(),
  circuitBreaker: z
    .strictObject({
      windowMs: positiveMs.optional(),
      buckets: z.number().int().min(1).max(1000).optional(),
      minimumRequests: z.number().int().min(1).optional(),
      failureRateThreshold: z.number().gt(0).max(1).optional(),
      openDurationMs: positiveMs.optional(),
    })
    .optional(),
  rateLimit: z
    .strictObject({
      maxConcurrency: z.number().int().min(1).optional(),
      requestsPerMinute: z.number().positive().optional(),
      learnBeforeBurst: z.boolean().optional(),
    })
    .optional(),
});

/** The `storage` section: where the ledger and budgets live. */
export const storageConfigSchema = z.strictObject({
  /** `postgres://...`, `sqlite:<path>` or a file path. Default: `.keel/keel.db`. */
  url: z.string().min(1).optional(),
  /** PostgreSQL only: the schema to keep Keel's tables in. */
  schema: z.string().min(1).optional(),
});

/** `keel.config.json` / `keel.config.yaml`. Every section is optional. */
export const keelConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  /** The environment whose routing overrides apply (KEEL_ENV wins when set). */
  environment: environmentSchema.optional(),
  /** Routing overrides: default model, task -> model, fallback chains. */
  routing: routingOverrideSchema.optional(),
  /** Fallback chains (model -> models tried in order); replaces the routing table's chains. */
  fallbacks: z.record(z.string(), z.array(z.string().min(1))).optional(),
  /** Retries, timeouts, circuit breaker, rate limiting. */
  resilience: resilienceConfigSchema.optional(),
  /** Budget limits. */
  budgets: z.array(budgetLimitConfigSchema).optional(),
  /** Storage for the ledger and budgets. */
  storage: storageConfigSchema.optional(),
  /** Logging. */
  logging: z
    .strictObject({
      /** pino level. */
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
      /** Log request/response text (PII-scrubbed). Default false. */
      content: z.boolean().optional(),
    })
    .optional(),
});

/** A validated Keel configuration file. */
export type KeelConfig = z.infer<typeof keelConfigSchema>;

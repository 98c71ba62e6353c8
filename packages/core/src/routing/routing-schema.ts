import { z } from 'zod';

/** Deployment environments a routing table can override. */
export const environmentSchema = z.enum(['development', 'staging', 'production']);

/** A deployment environment. */
export type Environment = z.infer<typeof environmentSchema>;

const modelId = z.string().min(1, 'a model id is required');

/** Overrides for one environment. */
export const routingOverrideSchema = z
  .object({
    /** Replaces the default model. */
    default: modelId.optional(),
    /** Replaces the model of individual tasks. */
    tasks: z.record(z.string(), modelId).optional(),
    /** Replaces the fallback chain of individual models. */
    fallbacks: z.record(z.string(), z.array(modelId)).optional(),
  })
  .strict();

/** The routing table file. */
export const routingTableSchema = z
  .object({
    $comment: z.string().optional(),
    /** The model for tasks not in the table. */
    default: modelId,
    /** Task name -> model. */
    tasks: z.record(z.string(), modelId),
    /** Per-environment overrides. */
    environments: z.partialRecord(environmentSchema, routingOverrideSchema).optional(),
    /** Model -> the models to try, in order, on overload, 5xx or an open circuit. */
    fallbacks: z.record(z.string(), z.array(modelId)).optional(),
  })
  .strict();

/** The routing table as data. */
export type RoutingTableData = z.infer<typeof routingTableSchema>;
/** Overrides for one environment. */
export type RoutingOverride = z.infer<typeof routingOverrideSchema>;

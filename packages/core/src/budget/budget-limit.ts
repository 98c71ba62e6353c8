import { z } from 'zod';
import { ValidationError } from '@keel/errors';
import { picoUsdFromUsd } from '../cost/pico-usd.ts';

/** Who a limit counts for. */
export type BudgetScope = 'global' | 'user' | 'session' | 'feature';

/** The window a limit counts over (UTC calendar days and months). */
export type BudgetPeriod = 'day' | 'month' | 'total';

const usdAmount = z.union([
  z.number().positive(),
  z.string().regex(/^\d+(\.\d+)?$/, 'a decimal USD amount such as "25" or "0.50"'),
]);

/** A budget limit as written in configuration. */
export const budgetLimitConfigSchema = z
  .strictObject({
    /** A stable name for the limit; derived from scope, key and period when absent. */
    id: z.string().min(1).optional(),
    /** Who the limit counts for. */
    scope: z.enum(['global', 'user', 'session', 'feature']),
    /**
     * One specific user, session or feature. Omitted: the limit applies to each one separately
     * (every user gets their own daily allowance).
     */
    key: z.string().min(1).optional(),
    /** The counting window. */
    period: z.enum(['day', 'month', 'total']),
    /** The most money the scope may spend in the period, in USD. */
    maxUsd: usdAmount.optional(),
    /** The most tokens (input side + output) the scope may use in the period. */
    maxTokens: z.number().int().positive().optional(),
  })
  .refine((limit) => limit.maxUsd !== undefined || limit.maxTokens !== undefined, {
    error: 'set maxUsd, maxTokens or both',
  })
  .refine((limit) => limit.scope !== 'global' || limit.key === undefined, {
    error: 'a global limit has no key',
  });

/** A budget limit as written in configuration. */
export type BudgetLimitConfig = z.input<typeof budgetLimitConfigSchema>;

/** A validated budget limit. */
export interface BudgetLimit {
  /** Stable name, used in counters and errors. */
  id: string;
  /** Who the limit counts for. */
  scope: BudgetScope;
  /** One specific user/session/feature, or null for each one separately (and for global). */
  key: string | null;
  /** The counting window. */
  period: BudgetPeriod;
  /** Money cap in picodollars, or null. */
  maxPicoUsd: bigint | null;
  /** Token cap, or null. */
  maxTokens: number | null;
}

/** Validates budget limits from configuration data; ids must be unique. */
export function parseBudgetLimits(data: unknown, source = 'budget limits'): BudgetLimit[] {
  const parsed = z.array(budgetLimitConfigSchema).safeParse(data);
  if (!parsed.success) {
    throw new ValidationError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const limits = parsed.data.map((config): BudgetLimit => ({
    id: config.id ?? `${config.scope}:${config.key ?? '*'}:${config.period}`,
    scope: config.scope,
    key: config.key ?? null,
    period: config.period,
    maxPicoUsd:
      config.maxUsd === undefined ? null : picoUsdFromUsd(config.maxUsd, `${source} maxUsd`),
    maxTokens: config.maxTokens ?? null,
  }));
  const seen = new Set<string>();
  const issues: string[] = [];
  for (const limit of limits) {
    if (seen.has(limit.id))
      issues.push(`limit id "${limit.id}" is used twice; give one an explicit id`);
    seen.add(limit.id);
  }
  if (issues.length > 0) throw new ValidationError(source, issues);
  return limits;
}

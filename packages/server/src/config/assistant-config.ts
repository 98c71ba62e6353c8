import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@keel/errors';
import { budgetLimitConfigSchema } from '@keel/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { httpConfigSchema, registrationConfigSchema } from './front-door-config.ts';

/** The tools the assistant knows how to run; a config enables a subset. */
export const assistantToolNames = [
  'get_order_status',
  'list_customer_orders',
  'search_policies',
] as const;

/** One assistant tool name. */
export type AssistantToolName = (typeof assistantToolNames)[number];

const assistantConfigSchema = z.strictObject({
  /** A display name, shown in the UI and `/api/status`. */
  name: z.string().min(1),
  /** The ledger's `feature` tag for chat calls. */
  feature: z.string().min(1).default('assistant-chat'),
  /** The system prompt file (front matter + Markdown) and its variables. */
  systemPrompt: z.strictObject({
    file: z.string().min(1),
    variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  }),
  /** Models by role; `chat` overrides the prompt file's model. */
  models: z.strictObject({ chat: z.string().min(1).optional() }).default({}),
  /** `max_tokens` per model call; default the prompt file's. */
  maxTokens: z.number().int().positive().optional(),
  /** Model calls allowed per answer (tool loop cap). */
  maxToolIterations: z.number().int().min(1).max(50).default(6),
  /** Extended thinking budget in tokens, or absent for none. */
  thinkingBudgetTokens: z.number().int().min(1024).optional(),
  /** The tools the model may call. */
  tools: z.array(z.enum(assistantToolNames)).default([]),
  /** Store policies (or any documents) answered with citations through `search_policies`. */
  knowledge: z
    .strictObject({
      folder: z.string().min(1),
      maxResults: z.number().int().min(1).max(20).default(3),
    })
    .optional(),
  /** Seed the demo store: customers (the login accounts) and their orders. */
  demo: z.boolean().default(false),
  /** Budget limits (user, session, feature, global). */
  budgets: z.array(budgetLimitConfigSchema).default([]),
  /** Request rate limits per user. */
  rateLimits: z
    .strictObject({ requestsPerMinute: z.number().int().positive() })
    .default({ requestsPerMinute: 60 }),
  /** What each turn sends from the stored history (see @keel/core's ContextManager). */
  context: z
    .strictObject({
      /** `stepped-window` (default, cache-friendly), `token-budget`, or `last-messages`. */
      strategy: z
        .enum(['stepped-window', 'token-budget', 'last-messages'])
        .default('stepped-window'),
      /** For `last-messages`: how many messages. */
      lastMessages: z.number().int().min(1).default(20),
      /** Share of the model's window a request may fill, max_tokens included. */
      windowShare: z.number().gt(0).max(1).default(0.8),
      /** Bring back trimmed turns the user refers to. */
      recall: z.boolean().default(true),
      /** Summarize trimmed turns with the cheap model into a pinned block. */
      summarize: z.boolean().default(false),
      /** Keep facts, decisions and preferences from trimmed turns in a pinned memory. */
      memory: z.boolean().default(false),
      /**
       * A model for summaries and memory, overriding the routing table's model for their prompt
       * files' task (`summarization`).
       */
      cheapModel: z.string().min(1).optional(),
    })
    .default({
      strategy: 'stepped-window',
      lastMessages: 20,
      windowShare: 0.8,
      recall: true,
      summarize: false,
      memory: false,
    }),
  /** Proxies trusted for client addresses and TLS, other allowed origins, body limits. */
  http: httpConfigSchema,
  /** Who may create an account: `open` (throttled per address), `invite` or `closed`. */
  registration: registrationConfigSchema,
  /**
   * Time limits. `attemptMs`: one model request may be silent this long (waiting for its
   * headers, then between stream events) before it is stopped and retried. `turnMs`: a whole
   * answer (every model call, retry and tool) is stopped after this long, the user is told, and
   * what it spent is still charged.
   */
  timeouts: z
    .strictObject({
      attemptMs: z.number().int().min(1000).max(600_000).default(60_000),
      // At most 10 minutes: a crashed call's row is reconciled a minute after the deadline (plus
      // up to a minute of sweep), which must come before its budget hold lapses (15 minutes).
      turnMs: z.number().int().min(1000).max(600_000).default(300_000),
    })
    .default({ attemptMs: 60_000, turnMs: 300_000 }),
  /** Attached images. */
  images: z
    .strictObject({ maxBytes: z.number().int().positive() })
    .default({ maxBytes: 5_000_000 }),
});

/** An assistant configuration with every path made absolute. */
export type AssistantConfig = z.output<typeof assistantConfigSchema> & {
  /** The file it was loaded from (or `(inline)`). */
  source: string;
  /** The directory relative paths resolve against. */
  baseDir: string;
};

/** The shipped demo configuration (Acme Store support). */
export const demoConfigPath = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../demo/assistant.config.yaml',
);

/** Validates configuration data; `baseDir` resolves the prompt file and knowledge folder. */
export function parseAssistantConfig(
  data: unknown,
  options: { source: string; baseDir: string },
): AssistantConfig {
  const parsed = assistantConfigSchema.safeParse(data);
  if (!parsed.success) {
    throw new ValidationError(
      options.source,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const config = parsed.data;
  return {
    ...config,
    systemPrompt: {
      ...config.systemPrompt,
      file: resolve(options.baseDir, config.systemPrompt.file),
    },
    ...(config.knowledge
      ? {
          knowledge: {
            ...config.knowledge,
            folder: resolve(options.baseDir, config.knowledge.folder),
          },
        }
      : {}),
    source: options.source,
    baseDir: options.baseDir,
  };
}

/** Loads a YAML (or JSON) assistant configuration file. */
export function loadAssistantConfig(path: string = demoConfigPath): AssistantConfig {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ValidationError(absolute, [`cannot read the file: ${(error as Error).message}`], {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ValidationError(absolute, [`not valid YAML: ${(error as Error).message}`], {
      cause: error,
    });
  }
  return parseAssistantConfig(data, { source: absolute, baseDir: dirname(absolute) });
}

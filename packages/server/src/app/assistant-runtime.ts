import { join, resolve } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import {
  BudgetManager,
  ContextManager,
  ConversationStore,
  createKeel,
  createLedgerRecorder,
  keelCaller,
  lastMessages,
  LedgerStore,
  loadPromptFile,
  openStorage,
  formatPicoUsd,
  reconcileInterruptedCalls,
  steppedWindow,
  tokenBudget,
  type AgentTool,
  type KeelClient,
  type ReconcileReport,
  type Storage,
} from '@keel/core';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '@keel/emulator';
import { Redis } from 'ioredis';
import { pino, type DestinationStream, type Logger } from 'pino';
import { AccountStore } from '../accounts/account-store.ts';
import type { AssistantMode } from '../chat/chat-events.ts';
import type { ChatTurnServices } from '../chat/chat-turn.ts';
import { loadAssistantConfig, type AssistantConfig } from '../config/assistant-config.ts';
import { AcmeStore, type DemoAccount } from '../demo/acme-store.ts';
import { orderTools } from '../demo/order-tools.ts';
import { PolicyKnowledge, searchPoliciesToolName } from '../knowledge/policy-knowledge.ts';
import { frontDoorThrottles, type FrontDoorThrottles } from '../limits/front-door-throttles.ts';
import {
  memoryRateLimiter,
  redisRateLimiter,
  type RequestRateLimiter,
} from '../limits/request-rate-limiter.ts';
import { ServerMetrics } from '../metrics/server-metrics.ts';
import { readEnvironment } from './read-environment.ts';
import { ActiveTurns } from './active-turns.ts';

/** Options of {@link openAssistantRuntime}. Every field has a default from the environment. */
export interface AssistantRuntimeOptions {
  /** The configuration, or a path to it. Default `KEEL_ASSISTANT_CONFIG`, else the Acme demo. */
  config?: AssistantConfig | string;
  /** Environment variables (the process's over `.env`). */
  env?: Record<string, string | undefined>;
  /** Where SQLite files live. Default `KEEL_DATA_DIR`, else `./.keel`. */
  dataDir?: string;
  /** Storage URL; default `KEEL_DATABASE_URL`, else SQLite in the data dir. */
  databaseUrl?: string;
  /** PostgreSQL schema for Keel's tables (tests use one per run). */
  databaseSchema?: string;
  /** Redis for shared rate limits; default `KEEL_REDIS_URL`, else in-memory. */
  redisUrl?: string;
  /** Prefix of every Redis key. Default `keel:`. */
  redisKeyPrefix?: string;
  /** Options of the embedded emulator started when there is no API key. */
  emulator?: EmulatorOptions;
  /** Structured logs; `false` for none. Default pino JSON on stdout. */
  logger?: Logger | false;
  /** Milliseconds since the epoch, for accounts, conversations and rate-limit windows. */
  now?: () => number;
}

/** Everything the running assistant holds; closed by `close()`. */
export interface AssistantRuntime {
  config: AssistantConfig;
  mode: AssistantMode;
  /** The chat model (catalog id or alias as configured). */
  model: string;
  storage: Storage;
  accounts: AccountStore;
  conversations: ConversationStore;
  ledger: LedgerStore;
  budgets: BudgetManager | undefined;
  client: KeelClient;
  knowledge: PolicyKnowledge | undefined;
  /** The demo logins (empty unless the config enables the demo). */
  demoAccounts: DemoAccount[];
  rateLimiter: RequestRateLimiter;
  /** Login and registration throttles (shared through Redis when it is configured). */
  throttles: FrontDoorThrottles;
  metrics: ServerMetrics;
  logger: Logger;
  turns: ActiveTurns;
  services: ChatTurnServices;
  /** The embedded emulator, in emulator mode. */
  emulator: EmulatorHandle | undefined;
  /** How many answers found streaming at start-up were marked incomplete. */
  interruptedAtStart: number;
  /** The model calls cut by a crash that start-up closed as interrupted, with estimated spend. */
  reconciledAtStart: ReconcileReport;
  /** Stops open answers (storing them incomplete), then closes everything. */
  close(): Promise<void>;
}

const silent = pino({ level: 'silent' });

/** The assistant's JSON logger: secrets and passwords are redacted wherever they appear. */
export function createAssistantLogger(destination?: DestinationStream): Logger {
  const options = {
    name: 'keel-assistant',
    redact: {
      paths: [
        'apiKey',
        '*.apiKey',
        'authorization',
        '*.authorization',
        '*.headers.authorization',
        'token',
        '*.token',
        'password',
        '*.password',
        'cookie',
        '*.cookie',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Opens storage, the model client (Claude or the embedded emulator), and the assistant's parts. */
export async function openAssistantRuntime(
  options: AssistantRuntimeOptions = {},
): Promise<AssistantRuntime> {
  const env = options.env ?? readEnvironment();
  const logger = options.logger === false ? silent : (options.logger ?? createAssistantLogger());
  const config =
    typeof options.config === 'object'
      ? options.config
      : loadAssistantConfig(options.config ?? env.KEEL_ASSISTANT_CONFIG ?? undefined);
  const dataDir = resolve(options.dataDir ?? env.KEEL_DATA_DIR ?? '.keel');
  const closers: Array<() => Promise<unknown> | unknown> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => {});
  };

  try {
    const storage = await openStorage({
      url: options.databaseUrl ?? env.KEEL_DATABASE_URL ?? join(dataDir, 'keel.db'),
      ...(options.databaseSchema ? { schema: options.databaseSchema } : {}),
    });
    closers.push(() => storage.close());
    const now = options.now ?? Date.now;
    const accounts = new AccountStore({ storage, now });
    const conversations = new ConversationStore({ storage, now });
    await Promise.all([accounts.init(), conversations.init()]);
    const interruptedAtStart = await conversations.markInterrupted();
    const ledger = new LedgerStore({ storage });
    await ledger.ready();
    const budgets =
      config.budgets.length > 0
        ? new BudgetManager({ storage, limits: config.budgets })
        : undefined;
    await budgets?.ready();
    // Calls cut off by a crash left `started` rows and budget holds: close the ones that cannot
    // still be running (ours from before the restart, or anyone's past its deadline) as
    // interrupted, with an estimated spend charged in place of the hold; then keep sweeping for
    // the calls of other processes sharing the database that die without coming back.
    const reconcile = () => reconcileInterruptedCalls({ ledger, ...(budgets ? { budgets } : {}) });
    const reconciledAtStart = await reconcile();
    const sweep = setInterval(() => {
      reconcile().then(
        (report) => {
          if (report.interrupted.length > 0) {
            logger.warn(reconcileLog(report), 'model calls cut by a crash were reconciled');
          }
        },
        (error: unknown) => logger.error({ err: error }, 'reconciling interrupted calls failed'),
      );
    }, 60_000);
    sweep.unref();
    closers.push(() => clearInterval(sweep));

    // Claude when a key is configured; otherwise the embedded emulator, said plainly.
    const apiKey = env.ANTHROPIC_API_KEY;
    let emulator: EmulatorHandle | undefined;
    let baseURL = env.ANTHROPIC_BASE_URL;
    if (!apiKey) {
      emulator = await startEmulator({ ...options.emulator, port: options.emulator?.port ?? 0 });
      closers.push(() => emulator!.close());
      baseURL = emulator.url;
    }
    const mode: AssistantMode = apiKey ? 'claude' : 'emulator';
    const ledgerRecorder = createLedgerRecorder({
      ledger,
      onError: (error) => logger.error({ err: error }, 'ledger write failed'),
      // Each call leaves a `started` row before it is sent; no call outlives its turn's deadline
      // (plus a minute for the last write), after which any process may reconcile the row.
      recordStarts: { maxCallMs: config.timeouts.turnMs + 60_000 },
    });
    const anthropic = new Anthropic({
      apiKey: apiKey ?? 'keel-embedded-emulator',
      baseURL: baseURL ?? null,
      maxRetries: 0,
    });
    const client = createKeel({
      anthropic,
      logger: options.logger === false ? false : logger.child({ component: 'claude' }),
      // A cut-off answer is still shown and stored; the turn's outcome says `truncated`.
      onTruncation: 'return',
      recorders: [ledgerRecorder],
      // A request silent this long (no headers, no stream event) is stopped and retried.
      resilience: { idleTimeoutMs: config.timeouts.attemptMs },
      // One budget path: every call (chat turns, context summaries) reserves its worst case here,
      // computed from the request it sends, before it is sent.
      ...(budgets ? { budgets } : {}),
    });
    closers.push(() => client.close());

    let demoAccounts: DemoAccount[] = [];
    const tools: AgentTool[] = [];
    if (config.demo) {
      const store = new AcmeStore(storage);
      demoAccounts = await store.seed(accounts);
      const { getOrderStatus, listCustomerOrders } = orderTools(store);
      if (config.tools.includes('get_order_status')) tools.push(getOrderStatus);
      if (config.tools.includes('list_customer_orders')) tools.push(listCustomerOrders);
    }
    let knowledge: PolicyKnowledge | undefined;
    if (config.knowledge) {
      knowledge = new PolicyKnowledge({
        folder: config.knowledge.folder,
        indexPath: join(dataDir, 'knowledge.sqlite'),
      });
      closers.push(() => knowledge!.close());
      const summary = await knowledge.ingest();
      logger.info(
        { added: summary.added, updated: summary.updated, failed: summary.failed },
        'knowledge ingested',
      );
      if (config.tools.includes('search_policies'))
        tools.push(knowledge.tool(config.knowledge.maxResults));
    }

    const prompt = loadPromptFile(config.systemPrompt.file);
    const rendered = prompt.render(config.systemPrompt.variables);
    const model =
      config.models.chat ?? rendered.model ?? client.routing.route(rendered.task ?? 'chat').model;

    const redisUrl = options.redisUrl ?? env.KEEL_REDIS_URL;
    // One connection for the rate limit and the front door's throttles; the limiter closes it.
    const redis = redisUrl
      ? new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 })
      : undefined;
    const rateLimiter = redis
      ? redisRateLimiter({
          redis,
          keyPrefix: options.redisKeyPrefix ?? 'keel:',
          requestsPerMinute: config.rateLimits.requestsPerMinute,
          now,
        })
      : memoryRateLimiter({ requestsPerMinute: config.rateLimits.requestsPerMinute, now });
    closers.push(() => rateLimiter.close());
    const throttles = frontDoorThrottles({
      registrationsPerAddressPerHour: config.registration.perAddressPerHour,
      redis,
      keyPrefix: options.redisKeyPrefix ?? 'keel:',
      now,
    });

    const turns = new ActiveTurns();
    const services: ChatTurnServices = {
      client,
      store: conversations,
      context: contextManagerFor(config.context, conversations, client, logger),
      tools,
      searchTools: new Set([searchPoliciesToolName]),
      system: rendered.system,
      model,
      maxTokens: config.maxTokens ?? rendered.maxTokens,
      maxIterations: config.maxToolIterations,
      thinkingBudgetTokens: config.thinkingBudgetTokens,
      feature: config.feature,
      mode,
      logger: logger.child({ component: 'tools' }),
      // The client records calls on the next tick; its flush writes them through to the ledger.
      flushLedger: () => client.flush(),
    };

    if (mode === 'emulator') {
      logger.warn(
        { mode, emulatorUrl: emulator!.url },
        'No ANTHROPIC_API_KEY: answers come from the embedded Claude API emulator, not from Claude',
      );
    } else {
      logger.info(
        { mode, baseURL: baseURL ?? 'https://api.anthropic.com' },
        'Answers come from Claude',
      );
    }
    if (reconciledAtStart.interrupted.length > 0) {
      logger.warn(reconcileLog(reconciledAtStart), 'model calls cut by a crash were reconciled');
    }
    if (interruptedAtStart > 0) {
      logger.warn({ interruptedAtStart }, 'answers cut by a previous crash were marked incomplete');
    }
    for (const account of demoAccounts) {
      logger.info(
        { email: account.email, demoPassword: account.password, role: account.role },
        'demo account',
      );
    }

    return {
      config,
      mode,
      model,
      storage,
      accounts,
      conversations,
      ledger,
      budgets,
      client,
      knowledge,
      demoAccounts,
      rateLimiter,
      throttles,
      metrics: new ServerMetrics(),
      logger,
      turns,
      services,
      emulator,
      interruptedAtStart,
      reconciledAtStart,
      async close() {
        await turns.stopAll('server_shutdown');
        await closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The log fields of a reconciliation: how many calls, and their estimated spend in USD. */
function reconcileLog(report: ReconcileReport) {
  return {
    interruptedCalls: report.interrupted.length,
    estimatedUsd: formatPicoUsd(report.estimatedPicoUsd),
    chargedToBudgetsUsd: formatPicoUsd(report.chargedPicoUsd),
  };
}

/** The context manager the config asks for: strategy, window share, recall, summary and memory. */
function contextManagerFor(
  context: AssistantConfig['context'],
  store: ConversationStore,
  client: KeelClient,
  logger: Logger,
): ContextManager {
  const strategy =
    context.strategy === 'token-budget'
      ? tokenBudget()
      : context.strategy === 'last-messages'
        ? lastMessages(context.lastMessages)
        : steppedWindow();
  const cheap = {
    caller: keelCaller(client, { tags: { feature: 'context' } }),
    ...(context.cheapModel === undefined ? {} : { model: context.cheapModel }),
  };
  return new ContextManager({
    store,
    strategy,
    windowShare: context.windowShare,
    recall: context.recall,
    ...(context.summarize ? { summarize: cheap } : {}),
    ...(context.memory ? { memory: cheap } : {}),
    logger: logger.child({ component: 'context' }),
  });
}

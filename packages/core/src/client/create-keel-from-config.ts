import { BudgetManager } from '../budget/budget-manager.ts';
import { KeelClient } from './keel-client.ts';
import type { KeelClientOptions } from './keel-client-options.ts';
import { LedgerStore } from '../ledger/ledger-store.ts';
import { createKeelLogger } from '../logging/call-logger.ts';
import { loadRoutingTable } from '../routing/routing-table.ts';
import { openStorage } from '../storage/open-storage.ts';
import type { Storage } from '../storage/storage.ts';
import type { KeelConfig } from '../config/keel-config-schema.ts';
import { loadEnvironment } from '../config/load-environment.ts';
import { loadKeelConfig } from '../config/load-keel-config.ts';

/** Options of `createKeelFromConfig`. */
export interface KeelFromConfigOptions {
  /** Where `.env` and `keel.config.*` are looked for. Default: the working directory. */
  cwd?: string;
  /** Environment variables. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** An explicit config file. */
  configPath?: string;
  /** Keep a ledger of every call in the configured storage. Default true. */
  ledger?: boolean;
  /** Options applied last, over what the files say (tests, embedding apps). */
  overrides?: KeelClientOptions;
}

/** A client built from configuration, with the storage it opened. */
export interface ConfiguredKeel {
  /** The client. */
  keel: KeelClient;
  /** The validated configuration. */
  config: KeelConfig;
  /** The config file read, if any. */
  configPath: string | undefined;
  /** The ledger, when on. */
  ledger: LedgerStore | undefined;
  /** The budgets, when the config has limits. */
  budgets: BudgetManager | undefined;
  /** Flushes the client (ledger writes included) and closes the storage. */
  close(): Promise<void>;
}

/**
 * Builds a client from `.env` (or the environment) and `keel.config.json|yaml`: routing for the
 * environment with the file's overrides, fallbacks, resilience, logging, the ledger and budgets
 * in the configured storage (SQLite under `.keel/` by default, or PostgreSQL).
 */
export async function createKeelFromConfig(
  options: KeelFromConfigOptions = {},
): Promise<ConfiguredKeel> {
  const env = options.env ?? process.env;
  const connection = loadEnvironment({ cwd: options.cwd, env });
  const loaded = loadKeelConfig({ cwd: options.cwd, path: options.configPath });
  const { config } = loaded;
  const environment = env.KEEL_ENV
    ? connection.environment
    : (config.environment ?? connection.environment);
  const useLedger = options.ledger ?? true;
  let storage: Storage | undefined;
  if (useLedger || config.budgets?.length) {
    storage = await openStorage({
      url: config.storage?.url,
      schema: config.storage?.schema,
      cwd: options.cwd,
      env,
    });
  }
  const ledger = storage && useLedger ? new LedgerStore({ storage }) : undefined;
  const budgets =
    storage && config.budgets?.length
      ? new BudgetManager({ storage, limits: config.budgets })
      : undefined;
  const clientOptions: KeelClientOptions = {
    environment,
    routing: loadRoutingTable({ environment, override: config.routing }),
    resilience: {
      ...config.resilience,
      ...(config.fallbacks ? { fallbacks: config.fallbacks } : {}),
    },
    logContent: config.logging?.content ?? false,
    ...options.overrides,
  };
  if (
    connection.apiKey !== undefined &&
    clientOptions.apiKey === undefined &&
    !clientOptions.anthropic
  ) {
    clientOptions.apiKey = connection.apiKey;
  }
  if (connection.baseURL !== undefined && clientOptions.baseURL === undefined) {
    clientOptions.baseURL = connection.baseURL;
  }
  if (clientOptions.logger === undefined && config.logging?.level) {
    clientOptions.logger = createKeelLogger({
      level: config.logging.level,
      secrets: connection.apiKey ? [connection.apiKey] : [],
    });
  }
  if (ledger && !clientOptions.ledger) clientOptions.ledger = ledger;
  if (budgets && !clientOptions.budgets) clientOptions.budgets = budgets;
  const keel = new KeelClient(clientOptions);
  return {
    keel,
    config,
    configPath: loaded.path,
    ledger,
    budgets,
    close: async () => {
      await keel.close();
      await storage?.close();
    },
  };
}

import Anthropic from '@anthropic-ai/sdk';
import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import { loadEnvironment } from '../config/load-environment.ts';
import { createLedgerRecorder } from '../ledger/ledger-call-recorder.ts';
import { CallLogger } from '../logging/call-logger.ts';
import { defaultIdleTimeoutMs } from '../resilience/attempt-timeouts.ts';
import { CircuitBreakerRegistry } from '../resilience/circuit-breaker.ts';
import { systemClock, timerSleep } from '../resilience/clock.ts';
import { RateLimiter } from '../resilience/rate-limiter.ts';
import { loadRoutingTable, type RoutingTable } from '../routing/routing-table.ts';
import { CallTelemetry } from '../telemetry/call-telemetry.ts';
import { WarnOnce } from '../warnings/keel-warning.ts';
import { apiVersionOf } from './api-version.ts';
import { CallPipeline } from './call-pipeline.ts';
import { CallReporter } from './call-reporter.ts';
import type { KeelClientOptions } from './keel-client-options.ts';
import type { CallDefaults } from './prepare-call.ts';

/** What a `KeelClient` is made of, built once from its options. */
export interface ClientParts {
  anthropic: Anthropic;
  routing: RoutingTable;
  catalog: ModelCatalog;
  defaults: CallDefaults;
  breakers: CircuitBreakerRegistry;
  warnings: WarnOnce;
  reporter: CallReporter;
  pipeline: CallPipeline;
}

/**
 * Builds a client's parts from its options, with a production default for each: the SDK client
 * (connection from the environment, `maxRetries: 0`), routing, breakers, limiter, logger,
 * recorders (the ledger first), telemetry, and the call pipeline over them.
 */
export function buildClientParts(options: KeelClientOptions): ClientParts {
  let apiKey = options.apiKey;
  let baseURL = options.baseURL;
  if (!options.anthropic && (apiKey === undefined || baseURL === undefined)) {
    const connection = loadEnvironment();
    apiKey ??= connection.apiKey;
    baseURL ??= connection.baseURL;
  }
  const anthropic =
    options.anthropic ??
    new Anthropic({
      ...(apiKey !== undefined ? { apiKey } : {}),
      ...(baseURL !== undefined ? { baseURL } : {}),
      maxRetries: 0,
      timeout: options.resilience?.timeoutMs ?? 600_000,
    });
  const catalog = options.catalog ?? defaultModelCatalog();
  const routing =
    options.routing ??
    loadRoutingTable({ environment: options.environment ?? 'development', catalog });
  const resilience = options.resilience ?? {};
  const clock = options._internal?.clock ?? systemClock;
  const sleep = options._internal?.sleep ?? timerSleep;
  const breakers = new CircuitBreakerRegistry(
    resilience.circuitBreaker ?? {},
    clock,
    options.onCircuitChange,
  );
  const limiter = new RateLimiter(resilience.rateLimit ?? {}, clock, sleep);
  const secrets = [options.apiKey, anthropic.apiKey, anthropic.authToken].filter(
    (secret): secret is string => typeof secret === 'string' && secret !== '',
  );
  const logger = new CallLogger({ logger: options.logger, secrets });
  // Warnings go to the caller's listener, else the log, else Node's warning channel: never nowhere.
  const warnings = new WarnOnce(
    options.onWarning ?? (logger.enabled ? (warning) => logger.warn(warning) : undefined),
  );
  const recorders = [...(options.recorders ?? [])];
  if (options.ledger) {
    const ledger = options.ledger;
    const onError = (error: unknown) => reporter.problem('ledger_write_failed', error);
    recorders.unshift(createLedgerRecorder({ ledger, onError }));
  }
  const reporter = new CallReporter({
    logger,
    recorders,
    windowMs: options.afterCallWindowMs ?? 20,
  });
  const defaults: CallDefaults = {
    routing,
    catalog,
    resilience,
    idleTimeoutMs: resilience.idleTimeoutMs ?? defaultIdleTimeoutMs,
    defaultAttemptTimeouts:
      !options.anthropic || options.anthropic.timeout === Anthropic.DEFAULT_TIMEOUT,
    tags: options.defaultTags ?? {},
    onTruncation: options.onTruncation ?? 'error',
    logContent: options.logContent ?? false,
    apiVersion: apiVersionOf(anthropic),
  };
  const pipeline = new CallPipeline({
    anthropic,
    defaults: defaults,
    budgets: options.budgets,
    breakers: breakers,
    limiter,
    clock,
    telemetry: new CallTelemetry(options.telemetry),
    reporter: reporter,
    warnings: warnings,
    resilience: {
      policy: resilience,
      breakers: breakers,
      limiter,
      clock,
      sleep,
      random: options._internal?.random ?? Math.random,
    },
  });
  return { anthropic, routing, catalog, defaults, breakers, warnings, reporter, pipeline };
}

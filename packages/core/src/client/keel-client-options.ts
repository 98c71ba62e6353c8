import type Anthropic from '@anthropic-ai/sdk';
import type { ModelCatalog } from '@keel/models';
import type { Logger } from 'pino';
import type { Clock, Sleep } from '../resilience/clock.ts';
import type { CircuitTransition } from '../resilience/circuit-breaker.ts';
import type { ResilienceOptions } from '../resilience/resilience-options.ts';
import type { Environment } from '../routing/routing-schema.ts';
import type { RoutingTable } from '../routing/routing-table.ts';
import type { TelemetryOptions } from '../telemetry/call-telemetry.ts';
import type { CallTags } from '../call/call-tags.ts';
import type { TruncationPolicy } from './call-options.ts';
import type { CallRecorder } from '../call/call-recorder.ts';
import type { BudgetManager } from '../budget/budget-manager.ts';
import type { LedgerStore } from '../ledger/ledger-store.ts';
import type { WarningListener } from '../warnings/keel-warning.ts';

/** Options of `createKeel`. Everything is optional; production defaults apply. */
export interface KeelClientOptions {
  /** The API key. Default: `ANTHROPIC_API_KEY` from the environment or `.env`. Never logged. */
  apiKey?: string;
  /** The API base URL (e.g. the emulator's). Default: `ANTHROPIC_BASE_URL`, else the real API. */
  baseURL?: string;
  /** A ready SDK client to use instead of building one (it should have `maxRetries: 0`). */
  anthropic?: Anthropic;
  /**
   * The environment whose routing overrides apply. Default with `createKeel`: `KEEL_ENV` (else
   * `.env`, else `development`); `new KeelClient` without it routes for `development`.
   */
  environment?: Environment;
  /** The routing table. Default: the shipped table for `environment`. */
  routing?: RoutingTable;
  /** Retries, timeouts, breaker, rate limiting and fallbacks. */
  resilience?: ResilienceOptions;
  /** The model catalog (prices, aliases). Default: the shipped catalog. */
  catalog?: ModelCatalog;
  /** Where the per-call log line goes; `false` for no logging. Default: pino on stderr. */
  logger?: Logger | false;
  /** Log request and response text (PII-scrubbed). Default false. */
  logContent?: boolean;
  /**
   * How long a call's log line and recorder (ledger) entries may wait, in ms, to be handled
   * together with those of the calls that follow: batches run warm and off the calls' critical
   * path. Default 20; 0 handles them on the next turn of the event loop. `flush()` and `close()`
   * handle everything queued at once.
   */
  afterCallWindowMs?: number;
  /** OpenTelemetry providers. Default: the globally registered ones (no-op when none). */
  telemetry?: TelemetryOptions;
  /** Tags applied to every call (per-call tags win). */
  defaultTags?: CallTags;
  /** What to do on a cut-off answer (`max_tokens`, `model_context_window_exceeded`). Default `error`. */
  onTruncation?: TruncationPolicy;
  /** Records every call (tags, models, request id, timings, tokens, cost); `close()` flushes it. */
  ledger?: LedgerStore;
  /**
   * Budget limits: each call reserves its worst case before it is sent (refused with
   * `BudgetExceededError` when a limit would be passed) and settles to the actual cost after.
   */
  budgets?: BudgetManager;
  /** More receivers of every finished call (success, failure, abort). */
  recorders?: CallRecorder[];
  /**
   * Told about settings that have no effect, once each: for example a `temperature` left out
   * because the API version (2026-10-21 has no sampling parameters) or the model rejects it.
   * Default: a warn-level log line (`event: keel_warning`), or Node's `process.emitWarning` when
   * logging is off.
   */
  onWarning?: WarningListener;
  /** Told when a model's circuit breaker changes state. */
  onCircuitChange?: (transition: CircuitTransition) => void;
  /** Test seams: time, waiting and randomness. */
  _internal?: {
    /** Clock for breakers and rate limiting. */
    clock?: Clock;
    /** Sleep used for backoff and rate-limit waits. */
    sleep?: Sleep;
    /** Random source for jitter, [0, 1). */
    random?: () => number;
  };
}

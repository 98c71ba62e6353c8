import type { ModelCatalog } from '@keel/models';
import type { CallTags } from '../call/call-tags.ts';
import type { SamplingParameters } from '../call/sampling-parameters.ts';
import { attemptTimeoutMs } from '../resilience/attempt-timeouts.ts';
import type { ResilienceOptions } from '../resilience/resilience-options.ts';
import type { RoutingTable } from '../routing/routing-table.ts';
import { headerApiVersion } from './api-version.ts';
import type { CallOptions, TruncationPolicy } from './call-options.ts';
import type { KeelRequest } from './keel-request.ts';
import { hasSamplingParameters } from './sampling-parameters.ts';

/** Everything decided about a call before the first attempt. */
export interface PreparedCall {
  /** The caller's request (`model` and `task` are not sent as they are; see `attemptBody`). */
  request: KeelRequest;
  modelRequested: string;
  task: string | undefined;
  /** The models the call may use: the requested one, then its fallbacks. */
  chain: string[];
  tags: CallTags;
  /** Aborts the call: the caller's signals and the total timeout together. */
  signal: AbortSignal | undefined;
  /** The caller's own signals (an abort by them is `CallAbortedError`, not a timeout). */
  userSignals: AbortSignal[];
  timeoutSignal: AbortSignal | undefined;
  totalTimeoutMs: number | undefined;
  onRetry: CallOptions['onRetry'];
  onReserved: CallOptions['onReserved'];
  /** The SDK request options of every attempt. */
  requestOptions: {
    maxRetries: 0;
    signal?: AbortSignal;
    timeout?: number;
    headers?: Record<string, string>;
  };
  onTruncation: TruncationPolicy;
  /** The `anthropic-version` this call goes out with (a per-call header wins over the client's). */
  apiVersion: string;
  /** The caller's sampling fields, when it set any; each attempt decides what of them to send. */
  sampling: SamplingParameters | undefined;
  logContent: boolean;
  /** When the call started, ms since the epoch. */
  startedAt: number;
  /** When the call started, `performance.now()` (durations). */
  started: number;
  stream: boolean;
  /** Filled on first use by `estimatedInputTokens`. */
  estimatedInputTokens?: number;
  /** The call's id, given when a recorder is told of its start. */
  id?: string;
}

/** The client's settings a call is prepared with. */
export interface CallDefaults {
  routing: RoutingTable;
  catalog: ModelCatalog;
  resilience: ResilienceOptions;
  /** Stream idle limit, ms (attempt timeouts are derived from it). */
  idleTimeoutMs: number;
  /** False when the caller's own Anthropic client has a timeout of its own, which is kept. */
  defaultAttemptTimeouts: boolean;
  tags: CallTags;
  onTruncation: TruncationPolicy;
  logContent: boolean;
  apiVersion: string;
}

/**
 * The fallback chain of `model`: the resilience options' chains when given (they replace the
 * routing table's entirely), else the routing table's, by the id as asked or its canonical id.
 */
export function fallbacksFor(model: string, defaults: CallDefaults): string[] {
  const configured = defaults.resilience.fallbacks;
  const canonical = defaults.catalog.find(model)?.id ?? model;
  if (configured) return [...(configured[model] ?? configured[canonical] ?? [])];
  const chain = defaults.routing.fallbacksFor(model);
  return [...(chain.length > 0 ? chain : defaults.routing.fallbacksFor(canonical))];
}

/** Stage 1: routes the call and resolves its options against the client's defaults. */
export function prepareCall(
  request: KeelRequest,
  options: CallOptions,
  ownSignal: AbortSignal | undefined,
  stream: boolean,
  defaults: CallDefaults,
): PreparedCall {
  const task = request.task;
  const modelRequested = request.model ?? defaults.routing.route(task).model;
  const fallbacks =
    options.fallbacks === false
      ? []
      : (options.fallbacks ?? fallbacksFor(modelRequested, defaults));
  const chain = [...new Set([modelRequested, ...fallbacks])];
  const totalTimeoutMs = options.totalTimeoutMs ?? defaults.resilience.totalTimeoutMs;
  const timeoutSignal =
    totalTimeoutMs !== undefined ? AbortSignal.timeout(totalTimeoutMs) : undefined;
  const userSignals = [options.signal, ownSignal].filter((signal) => signal !== undefined);
  const signals = timeoutSignal ? [...userSignals, timeoutSignal] : userSignals;
  const signal = signals.length <= 1 ? signals[0] : AbortSignal.any(signals);
  const timeoutMs =
    options.timeoutMs ??
    defaults.resilience.timeoutMs ??
    (defaults.defaultAttemptTimeouts
      ? attemptTimeoutMs({
          stream,
          maxTokens: request.max_tokens,
          idleTimeoutMs: defaults.idleTimeoutMs,
        })
      : undefined);
  const requestOptions: PreparedCall['requestOptions'] = { maxRetries: 0 };
  if (signal) requestOptions.signal = signal;
  if (timeoutMs !== undefined) requestOptions.timeout = timeoutMs;
  if (options.headers) requestOptions.headers = options.headers;
  return {
    request,
    modelRequested,
    task,
    chain,
    // A copy: the record is written after the call returns, and callers reuse tag objects.
    tags: options.tags ? { ...defaults.tags, ...options.tags } : defaults.tags,
    signal,
    userSignals,
    timeoutSignal,
    totalTimeoutMs,
    requestOptions,
    onRetry: options.onRetry,
    onReserved: options.onReserved,
    onTruncation: options.onTruncation ?? defaults.onTruncation,
    apiVersion: (options.headers && headerApiVersion(options.headers)) || defaults.apiVersion,
    sampling: hasSamplingParameters(request) ? request : undefined,
    logContent: options.logContent ?? defaults.logContent,
    startedAt: Date.now(),
    started: performance.now(),
    stream,
  };
}

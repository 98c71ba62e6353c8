import type { ModelCatalog } from '@keel/models';
import type { Clock } from './clock.ts';
import type { IdGenerator } from './ids.ts';
import type { Scenario } from './responder/scenario.ts';

/** Per-key limits, per minute. A missing field means unlimited. */
export interface RateLimitOptions {
  requestsPerMinute?: number;
  inputTokensPerMinute?: number;
  outputTokensPerMinute?: number;
}

/** The failures the emulator can inject. */
export type FaultType =
  /** 429 rate_limit_error with retry-after. */
  | 'rate_limit'
  /** 500 api_error. */
  | 'api_error'
  /** 529 overloaded_error. */
  | 'overloaded'
  /** 400 invalid_request_error: the request itself refused, as a bad image or field is. */
  | 'invalid_request'
  /** 413 request_too_large: the body over the API's 32 MB limit. */
  | 'request_too_large'
  /** The connection is destroyed before any response byte. */
  | 'connection_reset'
  /** The first token is delayed by `delayMs`. */
  | 'slow_first_token'
  /** An `error` event (overloaded_error) inside an HTTP 200 stream, after `afterTokens` output tokens. */
  | 'stream_error'
  /** The stream ends without `message_stop`, after `afterTokens` output tokens. */
  | 'stream_cut';

export interface FaultRule {
  type: FaultType;
  /** Probability per matching request, 0..1 (seeded). Default 1. */
  rate?: number;
  /** Apply to at most this many requests, then stop. Default: unlimited. */
  count?: number;
  /**
   * Let this many matching requests through before the rule may fire (e.g. 1 to fail the second
   * call of a tool loop, not the first). Default 0.
   */
  skip?: number;
  /** Only for requests to this path prefix (default `/v1/messages`). */
  path?: string;
  /** For `slow_first_token`: the delay. */
  delayMs?: number;
  /** For `stream_error` / `stream_cut`: output tokens streamed before the failure. Default 0. */
  afterTokens?: number;
  /** For `rate_limit`: the retry-after value in seconds. Default 1. */
  retryAfterSeconds?: number;
}

/** Time to first token and output speed. Zero by default so tests are fast. */
export interface LatencyOptions {
  timeToFirstTokenMs: number;
  outputTokensPerSecond: number;
}

export type LatencyPreset = 'none' | 'fast' | 'realistic';

export interface RecordReplayOptions {
  mode: 'record' | 'replay';
  /** Folder of cassette files. */
  cassetteDir: string;
  /** For `record`: the upstream base URL (for example https://api.anthropic.com). */
  upstream?: string;
}

export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Host to bind; default 127.0.0.1. */
  host?: string;
  /** API keys that are accepted. Default: any non-empty key. */
  apiKeys?: string[];
  /** Model catalog; default the one shipped with Keel. */
  catalog?: ModelCatalog;
  /** Injectable clock; default an AdjustableClock over the wall clock. */
  clock?: Clock;
  /** Injectable id generator; default random ids. */
  ids?: IdGenerator;
  /** Seed for fault rates and other randomness. Default 1. */
  seed?: number;
  /** Latency model, a preset name or explicit figures. Default `none`. */
  latency?: LatencyPreset | LatencyOptions;
  /** Per-key rate limits. Default: unlimited. */
  rateLimits?: RateLimitOptions;
  /** Faults active from the start. */
  faults?: FaultRule[];
  /** Scenario files (paths to YAML/JSON) or inline scenarios. */
  scenarios?: Array<string | Scenario>;
  /** Delay before a batch is processed. Default 0 ms (processed on the next tick). */
  batchProcessingDelayMs?: number;
  /**
   * Order of batch result lines: `shuffled` (default; seeded by `seed`), as the API gives no
   * order guarantee, or `request`.
   */
  batchResultOrder?: 'shuffled' | 'request';
  /** Record from an upstream or replay from cassettes instead of emulating. */
  recordReplay?: RecordReplayOptions;
  /** Interval between `ping` events in streams, ms. Default: one ping after the first block starts. */
  pingIntervalMs?: number;
}

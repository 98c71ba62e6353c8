import type { Clock, Sleep } from './clock.ts';

/** Client-side flow control, so a burst queues instead of producing a storm of 429s. */
export interface RateLimiterOptions {
  /** Most requests in flight at once, across models. Default 32. */
  maxConcurrency?: number;
  /** A known requests-per-minute budget per model, enforced as a token bucket. Default: learned from headers only. */
  requestsPerMinute?: number;
  /**
   * Until the first response of a model reports its limits, let only one request of that model
   * out at a time, so the first burst cannot overrun an unknown limit. Default true.
   */
  learnBeforeBurst?: boolean;
}

/** Limits learned from one response's `anthropic-ratelimit-*` headers. */
export interface RateLimitSnapshot {
  /** `anthropic-ratelimit-requests-limit`. */
  requestsLimit?: number;
  /** `anthropic-ratelimit-requests-remaining`. */
  requestsRemaining?: number;
  /** `anthropic-ratelimit-requests-reset`, ms since the epoch. */
  requestsResetAt?: number;
  /** `anthropic-ratelimit-input-tokens-remaining` (or `tokens-remaining`). */
  inputTokensRemaining?: number;
  /** `anthropic-ratelimit-input-tokens-reset` (or `tokens-reset`), ms since the epoch. */
  inputTokensResetAt?: number;
}

/** A slot held while one request is in flight; release it exactly once. */
export interface RateLimitPermit {
  release(): void;
}

interface ModelGate {
  learned: boolean;
  inFlight: number;
  /** Requests that may still start before `resetAt` (from headers), minus those dispatched since. */
  remaining: number | undefined;
  /** The request limit the headers reported, once known. */
  limit: number | undefined;
  resetAt: number;
  tokensRemaining: number | undefined;
  tokensResetAt: number;
  /** No request may start before this (set by a 429's retry-after). */
  pausedUntil: number;
  bucketTokens: number;
  bucketUpdatedAt: number;
  /** Requests waiting for this model's first response (learn-before-burst). */
  listeners: Array<() => void>;
}

/** `#waitFor` result meaning: wait until a request of this model completes. */
const untilResponse = -1;

function parseNumber(value: string | null): number | undefined {
  if (value === null) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

// Reset times repeat from one response to the next; Date.parse is slow enough to remember them.
const parsedTimes = new Map<string, number | undefined>();

function parseTime(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (parsedTimes.has(value)) return parsedTimes.get(value);
  const time = Date.parse(value);
  const parsed = Number.isNaN(time) ? undefined : time;
  if (parsedTimes.size >= 64) parsedTimes.clear();
  parsedTimes.set(value, parsed);
  return parsed;
}

/** Reads the `anthropic-ratelimit-*` headers of a response. */
export function readRateLimitHeaders(headers: Headers): RateLimitSnapshot | undefined {
  const requestsRemaining = parseNumber(headers.get('anthropic-ratelimit-requests-remaining'));
  const inputTokensRemaining =
    parseNumber(headers.get('anthropic-ratelimit-input-tokens-remaining')) ??
    parseNumber(headers.get('anthropic-ratelimit-tokens-remaining'));
  if (requestsRemaining === undefined && inputTokensRemaining === undefined) return undefined;
  const snapshot: RateLimitSnapshot = {};
  const requestsLimit = parseNumber(headers.get('anthropic-ratelimit-requests-limit'));
  if (requestsLimit !== undefined) snapshot.requestsLimit = requestsLimit;
  if (requestsRemaining !== undefined) snapshot.requestsRemaining = requestsRemaining;
  const requestsResetAt = parseTime(headers.get('anthropic-ratelimit-requests-reset'));
  if (requestsResetAt !== undefined) snapshot.requestsResetAt = requestsResetAt;
  if (inputTokensRemaining !== undefined) snapshot.inputTokensRemaining = inputTokensRemaining;
  const tokensResetAt =
    parseTime(headers.get('anthropic-ratelimit-input-tokens-reset')) ??
    parseTime(headers.get('anthropic-ratelimit-tokens-reset'));
  if (tokensResetAt !== undefined) snapshot.inputTokensResetAt = tokensResetAt;
  return snapshot;
}

/**
 * A concurrency cap plus a per-model gate fed by the `anthropic-ratelimit-*` headers, a 429's
 * retry-after, and optionally a known requests-per-minute budget. Waiters are served in order.
 */
export class RateLimiter {
  readonly #maxConcurrency: number;
  readonly #requestsPerMinute: number | undefined;
  readonly #learnBeforeBurst: boolean;
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  readonly #gates = new Map<string, ModelGate>();
  readonly #waiters: Array<() => void> = [];
  #inFlight = 0;

  constructor(options: RateLimiterOptions, clock: Clock, sleep: Sleep) {
    this.#maxConcurrency = options.maxConcurrency ?? 32;
    this.#requestsPerMinute = options.requestsPerMinute;
    this.#learnBeforeBurst = options.learnBeforeBurst ?? true;
    this.#clock = clock;
    this.#sleep = sleep;
  }

  /** Requests currently in flight. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Requests waiting for a concurrency slot. */
  get queued(): number {
    return this.#waiters.length;
  }

  /**
   * Waits until one request to `model` may start, then holds a slot for it.
   * `estimateInputTokens` is called (only) when an input-token allowance has been learned.
   */
  acquire(
    model: string,
    estimateInputTokens: () => number,
    signal?: AbortSignal,
  ): RateLimitPermit | Promise<RateLimitPermit> {
    // Fast path, without a promise: a free slot, a learned gate with room, nothing queued ahead.
    const gate = this.#gate(model);
    if (
      this.#waiters.length === 0 &&
      this.#inFlight < this.#maxConcurrency &&
      this.#waitFor(gate, estimateInputTokens) === 0
    ) {
      return this.#take(gate, false);
    }
    return this.#acquireQueued(gate, estimateInputTokens, signal);
  }

  async #acquireQueued(
    gate: ModelGate,
    estimateInputTokens: () => number,
    signal: AbortSignal | undefined,
  ): Promise<RateLimitPermit> {
    await this.#slot(signal);
    try {
      for (;;) {
        const wait = this.#waitFor(gate, estimateInputTokens);
        if (wait === 0) break;
        if (wait === untilResponse) await this.#nextResponse(gate, signal);
        else await this.#sleep(Math.max(1, wait), signal);
      }
    } catch (error) {
      this.#inFlight--;
      this.#drain();
      throw error;
    }
    return this.#take(gate, true);
  }

  /** Feeds the limits a response reported. */
  observe(model: string, headers: Headers): RateLimitSnapshot | undefined {
    const snapshot = readRateLimitHeaders(headers);
    const gate = this.#gate(model);
    gate.learned = true;
    this.#notify(gate);
    if (!snapshot) return undefined;
    const now = this.#clock.now();
    if (snapshot.requestsRemaining !== undefined) {
      // Requests dispatched after this response was produced are already counted in inFlight.
      gate.remaining = Math.max(0, snapshot.requestsRemaining - (gate.inFlight - 1));
      if (snapshot.requestsLimit !== undefined) gate.limit = snapshot.requestsLimit;
      gate.resetAt = snapshot.requestsResetAt ?? now + 60_000;
    }
    if (snapshot.inputTokensRemaining !== undefined) {
      gate.tokensRemaining = snapshot.inputTokensRemaining;
      gate.tokensResetAt = snapshot.inputTokensResetAt ?? now + 60_000;
    }
    this.#drain();
    return snapshot;
  }

  /** Holds back every request to `model` for `ms` (a 429's retry-after). */
  pause(model: string, ms: number): void {
    const gate = this.#gate(model);
    gate.learned = true;
    gate.pausedUntil = Math.max(gate.pausedUntil, this.#clock.now() + ms);
  }

  #gate(model: string): ModelGate {
    let gate = this.#gates.get(model);
    if (!gate) {
      gate = {
        learned: !this.#learnBeforeBurst,
        inFlight: 0,
        remaining: undefined,
        limit: undefined,
        resetAt: 0,
        tokensRemaining: undefined,
        tokensResetAt: 0,
        pausedUntil: 0,
        bucketTokens: this.#requestsPerMinute ?? 0,
        bucketUpdatedAt: this.#clock.now(),
        listeners: [],
      };
      this.#gates.set(model, gate);
    }
    return gate;
  }

  /** Milliseconds until the gate admits one more request; 0 when it does now. */
  #waitFor(gate: ModelGate, estimateInputTokens: () => number): number {
    const now = this.#clock.now();
    if (now < gate.pausedUntil) return gate.pausedUntil - now;
    if (!gate.learned && gate.inFlight > 0) return untilResponse;
    if (gate.remaining !== undefined && gate.remaining <= 0) {
      if (now < gate.resetAt) return gate.resetAt - now;
      // The reset time has passed, but requests since the last response may have used some of
      // the refill: send one request alone and let its response tell the new allowance.
      gate.remaining = undefined;
      gate.learned = false;
      if (gate.inFlight > 0) return untilResponse;
    }
    if (gate.tokensRemaining !== undefined && gate.tokensRemaining < estimateInputTokens()) {
      if (now < gate.tokensResetAt) return gate.tokensResetAt - now;
      gate.tokensRemaining = undefined;
    }
    if (this.#requestsPerMinute !== undefined) {
      const perMs = this.#requestsPerMinute / 60_000;
      gate.bucketTokens = Math.min(
        this.#requestsPerMinute,
        gate.bucketTokens + (now - gate.bucketUpdatedAt) * perMs,
      );
      gate.bucketUpdatedAt = now;
      if (gate.bucketTokens < 1) return Math.ceil((1 - gate.bucketTokens) / perMs);
    }
    return 0;
  }

  #take(gate: ModelGate, slotHeld: boolean): RateLimitPermit {
    if (!slotHeld) this.#inFlight++;
    gate.inFlight++;
    if (gate.remaining !== undefined) gate.remaining--;
    if (this.#requestsPerMinute !== undefined) gate.bucketTokens -= 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight--;
        gate.inFlight--;
        this.#notify(gate);
        this.#drain();
      },
    };
  }

  /** Waits for a concurrency slot (FIFO). The slot is counted in #inFlight on return. */
  #slot(signal?: AbortSignal): Promise<void> {
    if (this.#inFlight < this.#maxConcurrency && this.#waiters.length === 0) {
      this.#inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#waiters.indexOf(wake);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal!.reason);
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        this.#inFlight++;
        resolve();
      };
      this.#waiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #nextResponse(gate: ModelGate, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        const index = gate.listeners.indexOf(wake);
        if (index >= 0) gate.listeners.splice(index, 1);
        reject(signal!.reason);
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      gate.listeners.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #notify(gate: ModelGate): void {
    if (gate.listeners.length === 0) return;
    const listeners = gate.listeners.splice(0);
    for (const listener of listeners) listener();
  }

  #drain(): void {
    while (this.#waiters.length > 0 && this.#inFlight < this.#maxConcurrency) {
      this.#waiters.shift()!();
    }
  }
}

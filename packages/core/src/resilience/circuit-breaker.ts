import type { Clock } from './clock.ts';

/** Tuning of one circuit breaker. */
export interface CircuitBreakerOptions {
  /** Length of the rolling window over which the failure rate is measured, ms. Default 60000. */
  windowMs?: number;
  /** Number of buckets the window is divided into. Default 10. */
  buckets?: number;
  /** Fewest outcomes in the window before the breaker may open. Default 5. */
  minimumRequests?: number;
  /** Failure rate (0..1) at or above which the breaker opens. Default 0.5. */
  failureRateThreshold?: number;
  /** How long the breaker stays open before letting a probe through, ms. Default 30000. */
  openDurationMs?: number;
}

/** `closed`: traffic flows. `open`: traffic is refused. `half_open`: one probe is let through. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** A state change, for logs and tests. */
export interface CircuitTransition {
  /** The breaker's name (the model id). */
  name: string;
  from: CircuitState;
  to: CircuitState;
  /** When it happened, ms since the epoch. */
  at: number;
}

interface Bucket {
  start: number;
  successes: number;
  failures: number;
}

/**
 * A circuit breaker over a rolling failure rate. When the rate in the window reaches the
 * threshold (with enough traffic to judge), it opens and refuses calls for `openDurationMs`;
 * then it lets one probe through (half-open): a success closes it, a failure opens it again.
 */
export class CircuitBreaker {
  readonly name: string;
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #bucketMs: number;
  readonly #minimumRequests: number;
  readonly #threshold: number;
  readonly #openDurationMs: number;
  readonly #onTransition: ((transition: CircuitTransition) => void) | undefined;
  readonly #buckets: Bucket[] = [];
  #state: CircuitState = 'closed';
  #openedAt = 0;
  #probeInFlight = false;

  constructor(
    name: string,
    options: CircuitBreakerOptions,
    clock: Clock,
    onTransition?: (transition: CircuitTransition) => void,
  ) {
    this.name = name;
    this.#clock = clock;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#bucketMs = this.#windowMs / (options.buckets ?? 10);
    this.#minimumRequests = options.minimumRequests ?? 5;
    this.#threshold = options.failureRateThreshold ?? 0.5;
    this.#openDurationMs = options.openDurationMs ?? 30_000;
    this.#onTransition = onTransition;
  }

  /** The current state (an open breaker whose wait is over reads as half-open). */
  get state(): CircuitState {
    if (this.#state === 'open' && this.#clock.now() >= this.#openedAt + this.#openDurationMs) {
      return 'half_open';
    }
    return this.#state;
  }

  /** When an open breaker will let a probe through, ms since the epoch; undefined unless open. */
  get retryAt(): number | undefined {
    return this.#state === 'open' ? this.#openedAt + this.#openDurationMs : undefined;
  }

  /**
   * Asks to send one request. True when it may go; in half-open state only one probe at a time
   * is allowed, and the caller must report its outcome (success, failure or release).
   */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open') return false;
    if (this.#state === 'open') this.#transition('half_open');
    if (this.#probeInFlight) return false;
    this.#probeInFlight = true;
    return true;
  }

  /** Reports a healthy response. */
  recordSuccess(): void {
    if (this.#state === 'half_open') {
      this.#probeInFlight = false;
      this.#buckets.length = 0;
      this.#transition('closed');
      return;
    }
    this.#current().successes++;
  }

  /** Reports a failure that says the model is unhealthy (5xx, overload, timeout, dropped connection). */
  recordFailure(): void {
    if (this.#state === 'half_open') {
      this.#probeInFlight = false;
      this.#open();
      return;
    }
    if (this.#state === 'open') return;
    this.#current().failures++;
    let successes = 0;
    let failures = 0;
    for (const bucket of this.#live()) {
      successes += bucket.successes;
      failures += bucket.failures;
    }
    const total = successes + failures;
    if (total >= this.#minimumRequests && failures / total >= this.#threshold) this.#open();
  }

  /** Ends a request that said nothing about health (a 4xx, an abort): frees the probe slot. */
  release(): void {
    if (this.#state === 'half_open') this.#probeInFlight = false;
  }

  #open(): void {
    this.#openedAt = this.#clock.now();
    this.#buckets.length = 0;
    this.#transition('open');
  }

  #transition(to: CircuitState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#onTransition?.({ name: this.name, from, to, at: this.#clock.now() });
  }

  #live(): Bucket[] {
    const oldest = this.#clock.now() - this.#windowMs;
    while (this.#buckets.length > 0 && this.#buckets[0]!.start + this.#bucketMs <= oldest) {
      this.#buckets.shift();
    }
    return this.#buckets;
  }

  #current(): Bucket {
    const now = this.#clock.now();
    const buckets = this.#live();
    const last = buckets[buckets.length - 1];
    if (last && now < last.start + this.#bucketMs) return last;
    const bucket = { start: now - (now % this.#bucketMs), successes: 0, failures: 0 };
    buckets.push(bucket);
    return bucket;
  }
}

/** One breaker per model, created on first use. */
export class CircuitBreakerRegistry {
  readonly #breakers = new Map<string, CircuitBreaker>();
  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly clock: Clock,
    private readonly onTransition?: (transition: CircuitTransition) => void,
  ) {}

  /** The breaker for a model. */
  get(model: string): CircuitBreaker {
    let breaker = this.#breakers.get(model);
    if (!breaker) {
      breaker = new CircuitBreaker(model, this.options, this.clock, this.onTransition);
      this.#breakers.set(model, breaker);
    }
    return breaker;
  }

  /** Every breaker's state, by model. */
  states(): Record<string, CircuitState> {
    return Object.fromEntries(
      [...this.#breakers].map(([model, breaker]) => [model, breaker.state]),
    );
  }
}

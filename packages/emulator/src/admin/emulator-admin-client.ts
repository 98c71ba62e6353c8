import { KeelError } from '@keel/errors';
import type { FaultRule, RateLimitOptions } from '../emulator-options.ts';
import type { RequestLogEntry } from '../request-log/request-log.ts';
import type { Scenario } from '../responder/scenario.ts';

/** An admin call the emulator refused (a 4xx/5xx), or that could not reach it. */
export class EmulatorAdminError extends KeelError<
  {
    method: string;
    path: string;
    /** HTTP status, or 0 when the emulator could not be reached. */
    status: number;
    /** The emulator's error message, when it sent one. */
    reason: string | null;
  },
  'emulator_admin_failed'
> {
  constructor(
    method: string,
    path: string,
    status: number,
    reason: string | null,
    cause?: unknown,
  ) {
    super(
      'emulator_admin_failed',
      `${method} ${path} failed${status ? ` with ${status}` : ''}${reason ? `: ${reason}` : ''}`,
      { method, path, status, reason },
      cause === undefined ? undefined : { cause },
    );
  }
}

/** The emulator's clock, as `GET /_emulator/clock` reports it. */
export interface EmulatorClockReading {
  /** Current emulated time, RFC 3339. */
  now: string;
  /** Current emulated time, epoch milliseconds. */
  nowMs: number;
  /** Whether `advanceClock` works (false when a custom clock was injected). */
  adjustable: boolean;
}

export interface EmulatorAdminOptions {
  /** The emulator's base URL (`EmulatorHandle.url`, or what `keel emulator` printed). */
  baseUrl: string;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
}

/**
 * Drives a running emulator's admin API (`/_emulator/…`) over HTTP, for tests that run the
 * emulator in another process or only know its URL.
 */
export class EmulatorAdmin {
  readonly #baseUrl: string;
  readonly #fetch: typeof fetch;

  constructor(options: EmulatorAdminOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? fetch;
  }

  /** Resolves when the emulator answers; reports its mode (`emulate`, `record`, `replay`). */
  health(): Promise<{ status: 'ok'; uptimeMs: number; mode: string }> {
    return this.#call('GET', '/_emulator/health');
  }

  /** The request log, oldest first; `limit` keeps the newest entries only. */
  async requests(options: { limit?: number } = {}): Promise<RequestLogEntry[]> {
    const query = options.limit === undefined ? '' : `?limit=${options.limit}`;
    const body = await this.#call<{ data: RequestLogEntry[] }>(
      'GET',
      `/_emulator/requests${query}`,
    );
    return body.data;
  }

  /** Empties the request log; resolves to how many entries it held. */
  async clearRequests(): Promise<number> {
    return (await this.#call<{ cleared: number }>('DELETE', '/_emulator/requests')).cleared;
  }

  /** Forgets every cached prompt prefix. */
  async resetCache(): Promise<void> {
    await this.#call('POST', '/_emulator/cache/reset');
  }

  /** The emulated time. */
  clock(): Promise<EmulatorClockReading> {
    return this.#call('GET', '/_emulator/clock');
  }

  /** Moves emulated time forward (cache TTLs, rate-limit refills, batch expiry). */
  advanceClock(ms: number): Promise<EmulatorClockReading> {
    return this.#call('POST', '/_emulator/clock/advance', { ms });
  }

  /** The active fault rules, with what is left of each `count`. */
  faults(): Promise<FaultRule[]> {
    return this.#call('GET', '/_emulator/faults');
  }

  /** Replaces every fault rule; `[]` turns faults off. */
  setFaults(rules: FaultRule[]): Promise<FaultRule[]> {
    return this.#call('PUT', '/_emulator/faults', rules);
  }

  /** Replaces the per-key rate limits; `{}` lifts them. Buckets start full. */
  setRateLimits(limits: RateLimitOptions): Promise<RateLimitOptions> {
    return this.#call('PUT', '/_emulator/rate-limits', limits);
  }

  /** Registers a scenario. */
  async addScenario(scenario: Scenario): Promise<void> {
    await this.#call('POST', '/_emulator/scenarios', scenario);
  }

  /** The registered scenarios (from files, options and `addScenario`). */
  scenarios(): Promise<Scenario[]> {
    return this.#call('GET', '/_emulator/scenarios');
  }

  /** Removes every scenario. */
  async clearScenarios(): Promise<void> {
    await this.#call('DELETE', '/_emulator/scenarios');
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
    } catch (error) {
      throw new EmulatorAdminError(method, path, 0, (error as Error).message, error);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const reason =
        (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? (text || null);
      throw new EmulatorAdminError(method, path, response.status, reason);
    }
    return parsed as T;
  }
}

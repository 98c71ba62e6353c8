/** Token usage as the log keeps it (the response's `usage`, or a stream's final tallies). */
export interface LoggedUsage {
  /** Uncached input tokens. */
  input_tokens: number;
  /** Output tokens. */
  output_tokens: number;
  /** Input tokens written to the prompt cache. */
  cache_creation_input_tokens?: number;
  /** Input tokens read from the prompt cache. */
  cache_read_input_tokens?: number;
}

/** One served request. Never holds the API key itself, only a short hash of it. */
export interface RequestLogEntry {
  /** The `request-id` the response carried. */
  requestId: string;
  /** When the request arrived, RFC 3339, by the emulator's clock. */
  time: string;
  /** HTTP method. */
  method: string;
  /** Path without the query string. */
  path: string;
  /** Response status; 0 when the connection closed before any status was sent. */
  status: number;
  /** Whether the response was written to the end (false: reset, cut stream, client gone). */
  completed: boolean;
  /** Wall time from arrival to the end of the response, in milliseconds. */
  durationMs: number;
  /** `sha256:<first 12 hex>` of the API key, or null on unauthenticated requests. */
  apiKeyHash: string | null;
  /** The model the request named, when the handler reported it. */
  model: string | null;
  /** Whether the response was a stream. */
  stream: boolean;
  /** Usage reported for the response, when there was one. */
  usage: LoggedUsage | null;
  /** The injected fault type, when one was applied. */
  fault: string | null;
  /** The scenario that produced the reply, when one matched. */
  scenario: string | null;
}

export interface RequestLogOptions {
  /** How many entries to keep; the oldest are dropped first. Default 1000. */
  capacity?: number;
}

/** A bounded in-memory log of served requests (a ring buffer), for the admin API and tests. */
export class RequestLog {
  readonly capacity: number;
  readonly #entries: RequestLogEntry[] = [];
  /** Index of the oldest entry once the buffer is full. */
  #head = 0;

  constructor(options: RequestLogOptions = {}) {
    this.capacity = options.capacity ?? 1000;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) {
      throw new RangeError('request log capacity must be a positive integer');
    }
  }

  /** Appends an entry, dropping the oldest when full. */
  record(entry: RequestLogEntry): void {
    if (this.#entries.length < this.capacity) {
      this.#entries.push(entry);
    } else {
      this.#entries[this.#head] = entry;
      this.#head = (this.#head + 1) % this.capacity;
    }
  }

  /** The most recent entries, oldest first; `limit` keeps only the newest `limit`. */
  list(limit?: number): RequestLogEntry[] {
    const ordered = [...this.#entries.slice(this.#head), ...this.#entries.slice(0, this.#head)];
    return limit === undefined ? ordered : ordered.slice(Math.max(0, ordered.length - limit));
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.length;
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.length = 0;
    this.#head = 0;
  }
}

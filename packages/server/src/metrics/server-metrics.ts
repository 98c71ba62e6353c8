/** Counters and gauges exposed at `/metrics` in the Prometheus text format. */
export class ServerMetrics {
  readonly #requests = new Map<string, number>();
  readonly #errors = new Map<string, number>();
  #streamsOpen = 0;
  #streamsTotal = 0;
  #tokens = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  #costUsd = 0;

  /** Counts a finished HTTP request. */
  request(method: string, route: string, status: number): void {
    const key = `method="${method}",route="${route}",status="${status}"`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
  }

  /** Counts an error by its code. */
  error(code: string): void {
    this.#errors.set(code, (this.#errors.get(code) ?? 0) + 1);
  }

  streamOpened(): void {
    this.#streamsOpen += 1;
    this.#streamsTotal += 1;
  }

  streamClosed(): void {
    this.#streamsOpen -= 1;
  }

  /** SSE streams open now. */
  get streamsOpen(): number {
    return this.#streamsOpen;
  }

  /** Adds a turn's tokens and cost. */
  usage(usage: {
    input: number;
    output: number;
    cacheRead: number;
    cacheWrite: number;
    costUsd: number;
  }): void {
    this.#tokens.input += usage.input;
    this.#tokens.output += usage.output;
    this.#tokens.cacheRead += usage.cacheRead;
    this.#tokens.cacheWrite += usage.cacheWrite;
    this.#costUsd += usage.costUsd;
  }

  /** The Prometheus exposition text. */
  render(): string {
    const lines: string[] = [
      '# HELP keel_http_requests_total HTTP requests by method, route and status.',
      '# TYPE keel_http_requests_total counter',
      ...[...this.#requests].map(
        ([labels, value]) => `keel_http_requests_total{${labels}} ${value}`,
      ),
      '# HELP keel_errors_total Errors returned, by code.',
      '# TYPE keel_errors_total counter',
      ...[...this.#errors].map(([code, value]) => `keel_errors_total{code="${code}"} ${value}`),
      '# HELP keel_sse_streams_open Chat streams open now.',
      '# TYPE keel_sse_streams_open gauge',
      `keel_sse_streams_open ${this.#streamsOpen}`,
      '# HELP keel_sse_streams_total Chat streams opened.',
      '# TYPE keel_sse_streams_total counter',
      `keel_sse_streams_total ${this.#streamsTotal}`,
      '# HELP keel_tokens_total Tokens used by chat answers, by bucket.',
      '# TYPE keel_tokens_total counter',
      ...Object.entries(this.#tokens).map(
        ([bucket, value]) => `keel_tokens_total{bucket="${bucket}"} ${value}`,
      ),
      '# HELP keel_cost_usd_total Cost of chat answers in USD.',
      '# TYPE keel_cost_usd_total counter',
      `keel_cost_usd_total ${this.#costUsd.toFixed(8)}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}

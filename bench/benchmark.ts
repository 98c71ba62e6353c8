/** One benchmark: `npm run bench -- <name>` runs it alone. */
export interface Benchmark {
  name: string;
  description: string;
  /** Runs the benchmark. `args` are the command-line arguments after its name. */
  run(args: string[]): Promise<BenchmarkResult>;
}

interface BenchmarkResult {
  /** One line, printed last: the figures that matter and whether goals were met. */
  summary: string;
  /** Every measured figure, written to `bench/results/<name>.json`. */
  results: Record<string, unknown>;
}

/** Percentile of an unsorted sample (nearest-rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './benchmark.ts';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

async function loadBenchmarks(): Promise<Benchmark[]> {
  const files = readdirSync(`${benchDir}/benchmarks`)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort();
  const loaded: Benchmark[] = [];
  for (const file of files) {
    const module = (await import(`./benchmarks/${file}`)) as { benchmark: Benchmark };
    loaded.push(module.benchmark);
  }
  return loaded;
}

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const all = await loadBenchmarks();
  const selected = name ? all.filter((benchmark) => benchmark.name === name) : all;
  if (selected.length === 0) {
    console.error(`Unknown benchmark "${name}". Available: ${all.map((b) => b.name).join(', ')}`);
    return 2;
  }
  mkdirSync(resultsDir, { recursive: true });
  const summaries: string[] = [];
  for (const benchmark of selected) {
    console.log(`# ${benchmark.name}: ${benchmark.description}`);
    const started = Date.now();
    const { summary, results } = await benchmark.run(args);
    const file = `${resultsDir}${benchmark.name}.json`;
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          benchmark: benchmark.name,
          ranAt: new Date().toISOString(),
          durationMs: Date.now() - started,
          machine: {
            node: process.version,
            arch: arch(),
            cpus: cpus().length,
            memoryBytes: totalmem(),
          },
          summary,
          results,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`results written to ${file}`);
    summaries.push(`${benchmark.name}: ${summary}`);
  }
  console.log(summaries.join('\n'));
  return 0;
}

process.exitCode = await main();

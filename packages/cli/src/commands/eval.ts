import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  createKeel,
  LedgerStore,
  loadPromptFile,
  openStorage,
  parseGoldenSet,
  promptEnvironments,
  runEval,
  type EvalResult,
  type PromptEnvironment,
} from '@keel/core';
import type { Command } from '../command.ts';
import { integerFlag, parseFlags } from './cli-flags.ts';
import { progressBar } from './progress-bar.ts';

const usd = (value: number) => `$${value.toFixed(6)}`;

/** The pass/fail table of one eval run, with cost per case and the total. */
function evalTable(result: EvalResult): string {
  const rows = result.cases.map((item) => [
    item.id,
    item.pass ? 'PASS' : 'FAIL',
    usd(item.costUsd),
    item.error ??
      item.assertions
        .filter((outcome) => !outcome.pass)
        .map((outcome) => `${outcome.assertion.type}: ${outcome.reason ?? 'failed'}`)
        .join('; ')
        .replace(/\s+/g, ' ')
        .slice(0, 160),
  ]);
  const header = ['case', 'result', 'cost', 'why'];
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 3
          ? cell
          : column === 2
            ? cell.padStart(widths[column]!)
            : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  const passed = result.cases.filter((item) => item.pass).length;
  return [
    `${result.promptId} @ ${result.promptVersion}`,
    line(header),
    widths.map((width, column) => '-'.repeat(column === 3 ? 3 : width)).join('  '),
    ...rows.map(line),
    `${passed}/${result.cases.length} passed (${(result.passRate * 100).toFixed(1)}%), total ${usd(result.totalCostUsd)}`,
  ].join('\n');
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Run a prompt file over a golden dataset; fail below a pass-rate threshold',
  help: `Usage: keel eval <prompt.md> <golden.jsonl> [options]

Renders the prompt for each golden case, calls the model, checks the case's assertions and prints
a pass/fail table with the cost per case and in total. Exits 1 when the pass rate is below the
threshold, so CI can gate a release on it.

Golden lines: { "id": "c1", "variables": { ... }, "assert": [ ... ] } with assertions
  { "type": "equals", "value": "..." }          { "type": "contains", "value": "..." }
  { "type": "regex", "pattern": "...", "flags": "i" }
  { "type": "json-schema", "schema": { ...JSON Schema... } }
  { "type": "json-field", "path": "a.b.0", "equals": ... }
  { "type": "rubric", "rubric": "..." }      (judged by the classification model)

Options:
  --threshold R    Minimum pass rate, 0..1 (default 1)
  --batch          Run the cases through the Batch API (half price, slower)
  --compare P      Also run prompt file P and show both versions side by side
  --env E          Prompt environment: ${promptEnvironments.join(', ')} (default development)
  --concurrency N  Cases at once without --batch (default 4)
  --poll-ms N      --batch: first wait between polls, ms (default 2000)
  --database U     Storage URL for the ledger (default KEEL_DATABASE_URL, else ./.keel/keel.db)
  -h, --help       Show this help`,
  async run(argv) {
    const positional = argv.filter(
      (argument, index) =>
        !argument.startsWith('--') &&
        !argv[index - 1]?.match(/^--(threshold|compare|env|concurrency|poll-ms|database)$/),
    );
    const [promptPath, goldenPath] = positional;
    if (promptPath === undefined || goldenPath === undefined) {
      console.error('keel eval: give a prompt file and a golden .jsonl file');
      return 2;
    }
    const parsed = parseFlags(
      argv.filter((argument) => argument !== promptPath && argument !== goldenPath),
      ['threshold', 'compare', 'env', 'concurrency', 'poll-ms', 'database'],
      ['batch'],
    );
    if (!parsed.ok) {
      console.error(`keel eval: ${parsed.message}`);
      return 2;
    }
    const { values, switches } = parsed.flags;
    const threshold = Number(values.get('threshold') ?? '1');
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
      console.error('keel eval: --threshold must be a number from 0 to 1');
      return 2;
    }
    const environment = (values.get('env') ?? 'development') as PromptEnvironment;
    if (!promptEnvironments.includes(environment)) {
      console.error(`keel eval: --env must be one of ${promptEnvironments.join(', ')}`);
      return 2;
    }
    const concurrency = integerFlag(values.get('concurrency'), 'concurrency');
    const pollMs = integerFlag(values.get('poll-ms'), 'poll-ms');
    for (const problem of [concurrency, pollMs]) {
      if (typeof problem === 'string') {
        console.error(`keel eval: ${problem}`);
        return 2;
      }
    }
    const cases = parseGoldenSet(await readFile(goldenPath, 'utf8'), goldenPath);
    const prompts = [promptPath, ...(values.has('compare') ? [values.get('compare')!] : [])].map(
      (path) => loadPromptFile(path),
    );
    const storage = await openStorage({
      url:
        values.get('database') ??
        process.env.KEEL_DATABASE_URL ??
        join(resolve(process.env.KEEL_DATA_DIR ?? '.keel'), 'keel.db'),
    });
    const ledger = new LedgerStore({ storage });
    const keel = createKeel({ logger: false, ledger });
    try {
      const results: EvalResult[] = [];
      for (const prompt of prompts) {
        const bar = progressBar(`eval ${prompt.id}`);
        const result = await runEval({
          keel,
          prompt,
          cases,
          environment,
          batch: switches.has('batch'),
          storage,
          ledger,
          ...(concurrency !== undefined ? { concurrency: concurrency as number } : {}),
          ...(pollMs !== undefined ? { pollIntervalMs: pollMs as number } : {}),
          onProgress: ({ done, total, passed }) => bar.update(done, total, `${passed} passed`),
        });
        bar.finish();
        results.push(result);
        console.log(evalTable(result));
        console.log('');
      }
      if (results.length > 1) {
        console.log('version comparison');
        for (const [index, result] of results.entries()) {
          console.log(
            `  ${index === 0 ? 'base   ' : 'compare'}  ${result.promptId} @ ${result.promptVersion.slice(0, 12)}  pass ${(result.passRate * 100).toFixed(1)}%  cost ${usd(result.totalCostUsd)}  (${prompts[index] === undefined ? '' : index === 0 ? promptPath : values.get('compare')})`,
          );
        }
      }
      const failing = results.filter((result) => result.passRate < threshold);
      if (failing.length > 0) {
        console.error(
          `keel eval: pass rate below ${threshold}: ${failing
            .map((result) => `${result.promptId} ${(result.passRate * 100).toFixed(1)}%`)
            .join(', ')}`,
        );
        return 1;
      }
      return 0;
    } finally {
      await keel.close();
      await storage.close();
    }
  },
};

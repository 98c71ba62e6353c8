import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { ChatAnthropic } from '@langchain/anthropic';
import { createKeel, createKeelLogger, LedgerStore, SqliteStorage } from '@keel/core';
import { pino } from 'pino';
import { percentile, type Benchmark } from '../benchmark.ts';

/**
 * Client overhead: the same sequential calls against a zero-latency emulator running in a child
 * process, through the raw SDK, through Keel (ledger on, SQLite in a temp dir; log line on, to
 * /dev/null) and through LangChain's ChatAnthropic. Clients run in interleaved rounds whose order
 * rotates, after a warm-up, so neither order nor JIT warm-up favours one of them.
 */

const keelBin = fileURLToPath(new URL('../../packages/cli/bin/keel.js', import.meta.url));
const model = 'claude-haiku-4-5-20251001';
const prompt = 'Classify this support ticket: my order arrived damaged and I want a refund.';
const apiKey = 'bench-key';

type Runner = () => Promise<void>;

interface Sample {
  /** Per-call wall times, ms. */
  times: number[];
  /** Time spent after the calls to flush what the client buffered (Keel's ledger), ms. */
  flushMs: number;
}

async function startEmulatorProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [keelBin, 'emulator', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /http:\/\/[\d.:[\]a-z]+:\d+/.exec(buffer);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited early (${code})`)));
    setTimeout(() => reject(new Error('emulator did not start in 30 s')), 30_000).unref();
  });
  return { url, child };
}

async function measure(
  runners: Record<string, Runner>,
  calls: number,
  rounds: number,
  warmup: number,
): Promise<Record<string, number[]>> {
  const names = Object.keys(runners);
  for (const name of names) for (let i = 0; i < warmup; i++) await runners[name]!();
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const perRound = Math.ceil(calls / rounds);
  for (let round = 0; round < rounds; round++) {
    // Rotate the order every round.
    const order = names.map((_, index) => names[(index + round) % names.length]!);
    for (const name of order) {
      const run = runners[name]!;
      const bucket = times[name]!;
      for (let i = 0; i < perRound && bucket.length < calls; i++) {
        const started = performance.now();
        await run();
        bucket.push(performance.now() - started);
      }
    }
  }
  return times;
}

function summarize(sample: Sample) {
  const total = sample.times.reduce((sum, time) => sum + time, 0) + sample.flushMs;
  return {
    calls: sample.times.length,
    meanUs: Math.round((total / sample.times.length) * 1000),
    p50Us: Math.round(percentile(sample.times, 50) * 1000),
    p99Us: Math.round(percentile(sample.times, 99) * 1000),
    flushMs: Math.round(sample.flushMs * 10) / 10,
  };
}

export const benchmark: Benchmark = {
  name: 'client-overhead',
  description:
    'Per-call overhead of Keel (ledger on) vs the raw SDK and LangChain ChatAnthropic, sequential calls against a zero-latency emulator in a child process',
  async run(args) {
    const calls = Number(args[0] ?? 2000);
    const rounds = 20;
    const warmup = Math.min(200, Math.max(20, Math.floor(calls / 10)));
    const { url, child } = await startEmulatorProcess();
    const directory = mkdtempSync(join(tmpdir(), 'keel-bench-overhead-'));
    const storage = new SqliteStorage({ path: join(directory, 'keel.db') });
    const ledger = new LedgerStore({ storage });
    await ledger.ready();
    try {
      const raw = new Anthropic({ apiKey, baseURL: url, maxRetries: 0 });
      const keel = createKeel({
        apiKey,
        baseURL: url,
        ledger,
        logger: createKeelLogger({
          // Keel's default destination (stderr, synchronous), pointed at /dev/null.
          destination: pino.destination({ dest: '/dev/null', sync: true }),
          secrets: [apiKey],
        }),
        resilience: { fallbacks: {} },
      });
      const langchain = new ChatAnthropic({
        model,
        apiKey,
        anthropicApiUrl: url,
        maxRetries: 0,
        maxTokens: 200,
      });
      const params = {
        model,
        max_tokens: 200,
        messages: [{ role: 'user' as const, content: prompt }],
      };
      const tags = { feature: 'bench', user: 'bench-user' };

      const nonStreaming: Record<string, Runner> = {
        sdk: async () => {
          await raw.messages.create(params);
        },
        keel: async () => {
          await keel.call(params, { tags });
        },
        langchain: async () => {
          await langchain.invoke(prompt);
        },
      };
      const streaming: Record<string, Runner> = {
        sdk: async () => {
          const stream = raw.messages.stream(params);
          for await (const _event of stream) {
            // consume every event
          }
          await stream.finalMessage();
        },
        keel: async () => {
          for await (const _event of keel.stream(params, { tags })) {
            // consume every event
          }
        },
        langchain: async () => {
          for await (const _chunk of await langchain.stream(prompt)) {
            // consume every chunk
          }
        },
      };

      const results: Record<string, unknown> = {
        // A loaded machine inflates every figure and the noise between them; keep it on record.
        loadAverageAtStart: loadavg()[0],
        calls,
        rounds,
        warmupPerClient: warmup,
        emulator: 'child process, latency none',
      };
      const lines: string[] = [];
      for (const [mode, runners] of [
        ['nonStreaming', nonStreaming],
        ['streaming', streaming],
      ] as const) {
        const times = await measure(runners, calls, rounds, warmup);
        const flushStarted = performance.now();
        await keel.close();
        const flushMs = performance.now() - flushStarted;
        const sdk = summarize({ times: times.sdk!, flushMs: 0 });
        const keelSummary = summarize({ times: times.keel!, flushMs });
        const langchainSummary = summarize({ times: times.langchain!, flushMs: 0 });
        const ratio = keelSummary.meanUs / sdk.meanUs;
        const langchainRatio = langchainSummary.meanUs / sdk.meanUs;
        results[mode] = {
          sdk,
          keel: keelSummary,
          langchain: langchainSummary,
          keelOverheadUs: keelSummary.meanUs - sdk.meanUs,
          langchainOverheadUs: langchainSummary.meanUs - sdk.meanUs,
          keelRatio: Math.round(ratio * 1000) / 1000,
          langchainRatio: Math.round(langchainRatio * 1000) / 1000,
          // The goal is on the mean; the median shows how much of a run's figure is its tail
          // (garbage collection pauses of 4-6 ms that land on either client).
          keelP50Ratio: Math.round((keelSummary.p50Us / sdk.p50Us) * 1000) / 1000,
          keelWithinGoal: ratio <= 1.15,
          keelBelowLangchain: keelSummary.meanUs < langchainSummary.meanUs,
        };
        lines.push(
          `${mode}: sdk ${sdk.meanUs}us, keel ${keelSummary.meanUs}us (+${keelSummary.meanUs - sdk.meanUs}us, ${ratio.toFixed(3)}x${ratio <= 1.15 ? ' ok' : ' OVER 1.15x'}; p50 ${(keelSummary.p50Us / sdk.p50Us).toFixed(3)}x), langchain ${langchainSummary.meanUs}us (${langchainRatio.toFixed(3)}x)`,
        );
        console.log(lines.at(-1));
      }
      results.loadAverageAtEnd = loadavg()[0];
      const recorded = await ledger.total({ feature: 'bench' });
      // Warm-up calls are recorded too: every Keel call must be in the ledger after close().
      results.ledgerRowsRecorded = recorded.requests;
      results.keelCallsMade = 2 * (calls + warmup);
      return { summary: lines.join('; '), results };
    } finally {
      await storage.close();
      child.kill('SIGTERM');
      rmSync(directory, { recursive: true, force: true });
    }
  },
};

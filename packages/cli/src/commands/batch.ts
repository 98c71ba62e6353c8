import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  BatchInterruptedError,
  createKeel,
  LedgerStore,
  openStorage,
  resolveModel,
  runBatch,
  type BatchItemResult,
  type BatchRequest,
} from '@keel/core';
import type { Command } from '../command.ts';
import { integerFlag, parseFlags } from './cli-flags.ts';
import { progressBar } from './progress-bar.ts';

/** Lines without a model go to the routing table's model for this task. */
const defaultTask = 'classification';

/** Reads `{ custom_id, params }` or `{ custom_id, prompt }` lines into batch requests. */
export function parseBatchInput(
  text: string,
  defaults: { model: string; maxTokens: number },
): { ok: true; requests: BatchRequest[] } | { ok: false; message: string } {
  const requests: BatchRequest[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { ok: false, message: `line ${index + 1}: not JSON` };
    }
    const record = value as { custom_id?: unknown; params?: unknown; prompt?: unknown };
    if (typeof record.custom_id !== 'string') {
      return { ok: false, message: `line ${index + 1}: custom_id must be a string` };
    }
    if (record.params !== undefined && typeof record.params === 'object' && record.params) {
      const params = record.params as Record<string, unknown>;
      requests.push({
        customId: record.custom_id,
        params: {
          model: defaults.model,
          max_tokens: defaults.maxTokens,
          ...params,
        } as BatchRequest['params'],
      });
    } else if (typeof record.prompt === 'string') {
      requests.push({
        customId: record.custom_id,
        params: {
          model: defaults.model,
          max_tokens: defaults.maxTokens,
          messages: [{ role: 'user', content: record.prompt }],
        },
      });
    } else {
      return { ok: false, message: `line ${index + 1}: needs "params" (an object) or "prompt"` };
    }
  }
  if (requests.length === 0) return { ok: false, message: 'the input has no requests' };
  return { ok: true, requests };
}

/** One output line: what the request returned, mapped to its custom id. */
function batchOutputLine(result: BatchItemResult): string {
  const text = result.message?.content
    .flatMap((block) => (block.type === 'text' ? [block.text] : []))
    .join('');
  return JSON.stringify({
    custom_id: result.customId,
    status: result.status,
    ...(text !== undefined ? { text } : {}),
    ...(result.message ? { message: result.message } : {}),
    ...(result.error ? { error: result.error } : {}),
    ...(result.cost?.priced ? { cost_usd: result.cost.usd } : {}),
    attempts: result.attempts,
  });
}

export const batchCommand: Command = {
  name: 'batch',
  summary: 'Run a JSONL file of requests through the Batch API at half price (resumable)',
  help: `Usage: keel batch <input.jsonl> [options]

Submits every line as one request of a Message Batch (50% off list prices), waits for it with a
progress bar on stderr, resubmits errored requests once, and writes one JSON line per request
(custom_id, status, text, message, error, cost_usd). Interrupted runs resume: running the same
input again picks up the batch already submitted instead of paying twice.

Input lines: { "custom_id": "a1", "params": { ...Messages request... } }
         or  { "custom_id": "a1", "prompt": "text" }

Options:
  --out F          Write results to F (default: stdout)
  --model M        Model for lines without one (default: the routing table's ${defaultTask} model)
  --max-tokens N   max_tokens for lines without one (default 1024)
  --retries N      Resubmissions of errored requests (default 1)
  --poll-ms N      First wait between polls, ms (default 2000)
  --feature NAME   Ledger feature tag (default batch)
  --database U     Storage URL for the ledger and resume state (default KEEL_DATABASE_URL, else ./.keel/keel.db)
  -h, --help       Show this help`,
  async run(argv) {
    const [input, ...rest] = argv;
    if (input === undefined || input.startsWith('--')) {
      console.error('keel batch: give an input .jsonl file');
      return 2;
    }
    const parsed = parseFlags(rest, [
      'out',
      'model',
      'max-tokens',
      'retries',
      'poll-ms',
      'feature',
      'database',
    ]);
    if (!parsed.ok) {
      console.error(`keel batch: ${parsed.message}`);
      return 2;
    }
    const { values } = parsed.flags;
    const maxTokens = integerFlag(values.get('max-tokens'), 'max-tokens');
    const retries = integerFlag(values.get('retries'), 'retries');
    const pollMs = integerFlag(values.get('poll-ms'), 'poll-ms');
    for (const problem of [maxTokens, retries, pollMs]) {
      if (typeof problem === 'string') {
        console.error(`keel batch: ${problem}`);
        return 2;
      }
    }
    const read = parseBatchInput(await readFile(input, 'utf8'), {
      model: resolveModel({ model: values.get('model'), task: defaultTask }, {}),
      maxTokens: (maxTokens as number | undefined) ?? 1024,
    });
    if (!read.ok) {
      console.error(`keel batch: ${input}: ${read.message}`);
      return 2;
    }
    const storage = await openStorage({
      url:
        values.get('database') ??
        process.env.KEEL_DATABASE_URL ??
        join(resolve(process.env.KEEL_DATA_DIR ?? '.keel'), 'keel.db'),
    });
    const controller = new AbortController();
    const onSignal = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    const bar = progressBar('batch');
    try {
      const keel = createKeel({ logger: false });
      const result = await runBatch({
        keel,
        requests: read.requests,
        storage,
        ledger: new LedgerStore({ storage }),
        tags: { feature: values.get('feature') ?? 'batch' },
        signal: controller.signal,
        ...(retries !== undefined ? { retries: retries as number } : {}),
        ...(pollMs !== undefined ? { pollIntervalMs: pollMs as number } : {}),
        onProgress: (progress) => {
          const done = progress.total - progress.processing;
          const round = progress.round > 0 ? ` retry ${progress.round}` : '';
          bar.update(
            done,
            progress.total,
            `${progress.succeeded} ok, ${progress.errored} errored${round} (${progress.batchId}${
              progress.resumed ? ', resumed' : ''
            })`,
          );
        },
      });
      bar.finish();
      const out = values.get('out');
      const lines = result.results.map(batchOutputLine).join('\n') + '\n';
      if (out) {
        await new Promise<void>((resolveWrite, reject) => {
          const file = createWriteStream(out);
          file.on('error', reject);
          file.end(lines, () => resolveWrite());
        });
      } else {
        process.stdout.write(lines);
      }
      const cost = Number(result.costPicoUsd) / 1e12;
      console.error(
        `keel batch: ${result.counts.succeeded} succeeded, ${result.counts.errored} errored, ${
          result.counts.canceled + result.counts.expired
        } canceled/expired; $${cost.toFixed(6)} at the batch discount; job ${result.jobId}`,
      );
      return result.counts.succeeded === result.results.length ? 0 : 1;
    } catch (error) {
      bar.finish();
      if (error instanceof BatchInterruptedError) {
        console.error(
          `keel batch: ${error.message} (batches ${error.details.batchIds.join(', ')})`,
        );
        return 130;
      }
      throw error;
    } finally {
      process.removeListener('SIGINT', onSignal);
      await storage.close();
    }
  },
};

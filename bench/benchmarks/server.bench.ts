import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadPromptFile } from '@keel/core';
import { AssistantClient, loadAssistantConfig, openAssistantRuntime } from '@keel/server';
import { stringify } from 'yaml';
import { percentile, type Benchmark } from '../benchmark.ts';

const keelBin = fileURLToPath(new URL('../../packages/cli/bin/keel.js', import.meta.url));
const relayScript = fileURLToPath(new URL('../server/sdk-relay.ts', import.meta.url));
const goalAddedMsP50 = 2;
const ttftSamples = 200;
const ttftWarmup = 20;
const concurrentSessions = 200;
const loadMs = 30_000;
const question = 'Hello there, how are you today?';

interface Child {
  child: ChildProcess;
  url: string;
}

/** Starts a keel command (or a node script) in its own process; resolves with the URL it prints. */
async function start(
  args: string[],
  env: Record<string, string | undefined>,
  nodeArgs: string[] = [keelBin],
): Promise<Child> {
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const end = buffered.indexOf('\n');
      if (end !== -1) resolve(buffered.slice(0, end).trim());
    });
    child.once('exit', (code) => reject(new Error(`keel ${args[0]} exited with ${code}`)));
  });
  return { child, url };
}

async function stop(process: Child): Promise<void> {
  if (process.child.exitCode !== null) return;
  const exited = new Promise((resolve) => process.child.once('exit', resolve));
  process.child.kill('SIGTERM');
  await exited;
}

function rssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** Milliseconds from a POST to the first time `marker` appears in the streamed response. */
async function timeToMarker(url: string, init: RequestInit, marker: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', ...init });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let first: number | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (first === undefined && text.includes(marker)) first = performance.now() - started;
  }
  if (first === undefined) throw new Error(`no "${marker}" in the stream from ${url}`);
  return first;
}

/** Milliseconds from sending a streamed request straight to the emulator to its first text delta. */
function directTimeToFirstToken(emulatorUrl: string, body: string): Promise<number> {
  const headers = {
    'x-api-key': 'bench-key',
    'anthropic-version': '2023-06-01',
    'content-type': 'application/json',
  };
  return timeToMarker(`${emulatorUrl}/v1/messages`, { headers, body }, '"text_delta"');
}

/** Milliseconds from a POST to the SDK relay to the first text delta it writes. */
function relayTimeToFirstToken(relayUrl: string): Promise<number> {
  return timeToMarker(relayUrl, { body: '{}' }, 'event: text-delta');
}

/** Milliseconds from sending a message to the server to the first `text-delta` event of its SSE. */
async function serverTimeToFirstToken(client: AssistantClient): Promise<number> {
  const session = await client.createSession('bench');
  const started = performance.now();
  let first: number | undefined;
  for await (const event of client.send(session.id, { text: question })) {
    if (event.type === 'text-delta' && first === undefined) first = performance.now() - started;
    if (event.type === 'error') throw new Error(`${event.code}: ${event.message}`);
  }
  if (first === undefined) throw new Error('the answer had no text');
  return first;
}

const round = (value: number) => Math.round(value * 100) / 100;

export const benchmark: Benchmark = {
  name: 'server',
  description:
    'Keel assistant server: time to first token through its SSE vs straight from the emulator (added ms), and 200 concurrent streaming sessions for 30 s (errors, RSS).',
  async run() {
    const scratch = mkdtempSync(join(tmpdir(), 'keel-bench-server-'));
    const children: Child[] = [];
    try {
      // The demo config with limits that stay out of the way of a load test (paths made absolute).
      const demo = loadAssistantConfig();
      const configPath = join(scratch, 'assistant.config.yaml');
      writeFileSync(
        configPath,
        stringify({
          name: demo.name,
          feature: demo.feature,
          systemPrompt: demo.systemPrompt,
          models: demo.models,
          maxTokens: demo.maxTokens,
          maxToolIterations: demo.maxToolIterations,
          tools: demo.tools,
          knowledge: demo.knowledge,
          demo: true,
          budgets: [
            { scope: 'user', period: 'day', maxUsd: 100_000 },
            { scope: 'session', period: 'total', maxUsd: 1_000 },
          ],
          rateLimits: { requestsPerMinute: 1_000_000 },
        }),
      );
      const prompt = loadPromptFile(demo.systemPrompt.file).render(demo.systemPrompt.variables);

      /** `keel serve` against an upstream, with its own data folder, and alice logged in. */
      const startServer = async (upstream: string, dataDir: string) => {
        const server = await start(
          ['serve', '--port', '0', '--config', configPath, '--data-dir', join(scratch, dataDir)],
          { ANTHROPIC_API_KEY: 'bench-key', ANTHROPIC_BASE_URL: upstream },
        );
        children.push(server);
        const client = new AssistantClient({ baseUrl: server.url });
        await client.login('alice@example.com', 'alice-demo');
        return { server, client };
      };

      // Phase 1: time to first token, emulator without latency, server as a client of it.
      const instant = await start(['emulator', '--port', '0'], {});
      children.push(instant);
      const { server, client } = await startServer(instant.url, 'ttft');
      const status = await client.status();
      // What the server sends for a first message: the system prompt, the tools and the question.
      const definitions = await openAssistantRuntime({
        config: configPath,
        dataDir: join(scratch, 'definitions'),
        env: {},
        logger: false,
      });
      const toolDefinitions = definitions.services.tools.map((tool) => tool.definition);
      await definitions.close();
      const directBody = JSON.stringify({
        model: status.model,
        max_tokens: demo.maxTokens ?? prompt.maxTokens,
        stream: true,
        system: prompt.system,
        tools: toolDefinitions,
        messages: [{ role: 'user', content: [{ type: 'text', text: question }] }],
      });
      // The floor: a bare relay through the official SDK, with no work of its own.
      const bodyFile = join(scratch, 'request-body.json');
      writeFileSync(bodyFile, directBody);
      const relay = await start([instant.url, bodyFile], {}, ['--import', 'tsx', relayScript]);
      children.push(relay);
      const direct: number[] = [];
      const viaServer: number[] = [];
      const viaRelay: number[] = [];
      for (let index = 0; index < ttftWarmup + ttftSamples; index++) {
        // Interleaved, so drift on a shared machine hits every path alike.
        const a = await directTimeToFirstToken(instant.url, directBody);
        const b = await serverTimeToFirstToken(client);
        const c = await relayTimeToFirstToken(relay.url);
        if (index >= ttftWarmup) {
          direct.push(a);
          viaServer.push(b);
          viaRelay.push(c);
        }
      }
      await stop(relay);
      await stop(server);
      await stop(instant);

      // Phase 2: 200 concurrent streaming sessions for 30 s against an emulator with fast latency.
      const paced = await start(['emulator', '--port', '0', '--latency', 'fast'], {});
      children.push(paced);
      const { server: loaded, client: loadClient } = await startServer(paced.url, 'load');
      const rssBefore = rssMb(loaded.child.pid!);
      let completed = 0;
      let peakRss = rssBefore ?? 0;
      const errors: string[] = [];
      const deadline = performance.now() + loadMs;
      const sampler = setInterval(() => {
        const rss = rssMb(loaded.child.pid!);
        if (rss !== null) peakRss = Math.max(peakRss, rss);
      }, 250);
      const worker = async () => {
        const session = await loadClient.createSession('load');
        while (performance.now() < deadline) {
          try {
            let done = false;
            for await (const event of loadClient.send(session.id, { text: question })) {
              if (event.type === 'error') errors.push(event.code);
              if (event.type === 'done') done = true;
            }
            if (done) completed += 1;
            else errors.push('stream ended without done');
          } catch (error) {
            errors.push((error as Error).message);
          }
        }
      };
      const loadStarted = performance.now();
      await Promise.all(Array.from({ length: concurrentSessions }, worker));
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      clearInterval(sampler);
      const rssAfter = rssMb(loaded.child.pid!);
      await stop(loaded);
      await stop(paced);

      const directP50 = percentile(direct, 50);
      const serverP50 = percentile(viaServer, 50);
      const addedP50 = serverP50 - directP50;
      const addedP99 = percentile(viaServer, 99) - percentile(direct, 99);
      const floorP50 = percentile(viaRelay, 50) - directP50;
      const results = {
        timeToFirstToken: {
          samples: ttftSamples,
          directMs: { p50: round(directP50), p99: round(percentile(direct, 99)) },
          viaServerMs: { p50: round(serverP50), p99: round(percentile(viaServer, 99)) },
          addedMs: { p50: round(addedP50), p99: round(addedP99) },
          sdkRelayMs: {
            p50: round(percentile(viaRelay, 50)),
            p99: round(percentile(viaRelay, 99)),
          },
          // What a bare relay through the official SDK adds (an extra HTTP hop plus the SDK's own
          // request and stream handling): no server built on the SDK can add less.
          sdkRelayAddedMs: { p50: round(floorP50) },
          addedOverSdkRelayMs: { p50: round(addedP50 - floorP50) },
          goalAddedMsP50: goalAddedMsP50,
          goalMet: addedP50 < goalAddedMsP50,
        },
        concurrency: {
          sessions: concurrentSessions,
          seconds: round(loadSeconds),
          answersCompleted: completed,
          answersPerSecond: round(completed / loadSeconds),
          errors: errors.length,
          errorSamples: [...new Set(errors)].slice(0, 5),
          rssMb: { before: rssBefore, peak: peakRss, after: rssAfter },
        },
      };
      return {
        summary:
          `TTFT added by the server: p50 ${round(addedP50)} ms (goal < ${goalAddedMsP50} ms: ${addedP50 < goalAddedMsP50 ? 'met' : 'NOT met'}), ` +
          `p99 ${round(addedP99)} ms; a bare SDK relay adds ${round(floorP50)} ms, so the server's own work is ${round(addedP50 - floorP50)} ms; ${concurrentSessions} concurrent sessions for ${round(loadSeconds)} s: ` +
          `${completed} answers, ${errors.length} errors, peak RSS ${peakRss} MB`,
        results,
      };
    } finally {
      for (const child of children) await stop(child).catch(() => {});
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};

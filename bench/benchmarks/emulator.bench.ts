import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { percentile, type Benchmark } from '../benchmark.ts';

const keelBin = fileURLToPath(new URL('../../packages/cli/bin/keel.js', import.meta.url));
const goalRequestsPerSecond = 2_000;
const concurrencyLevels = [1, 16, 64];
const runMs = 2_500;
const warmupMs = 500;
const streamCount = 1_000;

const smallBody = JSON.stringify({
  model: 'claude-haiku-5-5',
  max_tokens: 32,
  messages: [{ role: 'user', content: 'Say hello.' }],
});
const streamBody = JSON.stringify({
  model: 'claude-haiku-5-5',
  max_tokens: 48,
  stream: true,
  messages: [{ role: 'user', content: 'Tell me a short story about a lighthouse.' }],
});
const apiHeaders = {
  'x-api-key': 'bench-key',
  'anthropic-version': '2026-10-21',
  'content-type': 'application/json',
};

/**
 * A bare node:http server answering every request with a fixed JSON body of a typical message's
 * size: the ceiling this machine and client allow, so the emulator's figure can be read against it.
 */
const baselineServer = `
const body = JSON.stringify({ id: 'msg_baseline', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'x'.repeat(200) }], usage: { input_tokens: 10, output_tokens: 20 } });
const server = require('node:http').createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

/** Starts a child process and resolves with the URL it prints as its first stdout line. */
async function spawnServer(args: string[]): Promise<{ url: URL; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const end = buffered.indexOf('\n');
      if (end !== -1) resolve(buffered.slice(0, end).trim());
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited early (${code})`)));
  });
  return { url: new URL(url), child };
}

/** Starts `keel emulator` in its own process (so the load generator has its own event loop). */
function spawnEmulator(flags: string[]): Promise<{ url: URL; child: ChildProcess }> {
  return spawnServer([keelBin, 'emulator', '--port', '0', ...flags]);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Resident memory of a process in MB, from /proc (Linux only; null elsewhere). */
function residentMb(pid: number | undefined): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system, all threads) a process has used, in ms, from /proc; null elsewhere. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

interface Exchange {
  status: number;
  body: string;
  firstByteMs: number;
  totalMs: number;
}

function post(url: URL, agent: Agent, body: string): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const call = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...apiHeaders, 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let firstByteMs = -1;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (firstByteMs < 0) firstByteMs = performance.now() - started;
          text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: text,
            firstByteMs,
            totalMs: performance.now() - started,
          }),
        );
        response.on('error', reject);
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

interface ThroughputRun {
  concurrency: number;
  durationMs: number;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU the emulator process spent per request served (10 ms tick resolution over the run). Unlike
   * req/s it barely depends on what else the machine runs, so it shows the emulator's own cost.
   */
  emulatorCpuMsPerRequest: number | null;
  /** 1000 / emulatorCpuMsPerRequest: the req/s one uncontended core could serve. */
  projectedRequestsPerSecondPerCore: number | null;
}

/** Keeps `concurrency` requests in flight for `runMs`, over keep-alive connections. */
async function measureThroughput(
  url: URL,
  concurrency: number,
  pid: number | undefined,
): Promise<ThroughputRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL('/v1/messages', url);
  const latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  let measuring = false;
  const warmEnd = performance.now() + warmupMs;
  const end = warmEnd + runMs;
  const worker = async () => {
    while (performance.now() < end) {
      try {
        const exchange = await post(target, agent, smallBody);
        if (!measuring) continue;
        if (exchange.status === 200) {
          requests++;
          latencies.push(exchange.totalMs);
        } else errors++;
      } catch {
        if (measuring) errors++;
      }
    }
  };
  let cpuAtStart: number | null = null;
  const warmup = setTimeout(() => {
    measuring = true;
    cpuAtStart = cpuMs(pid);
  }, warmupMs);
  const started = warmEnd;
  await Promise.all(Array.from({ length: concurrency }, worker));
  clearTimeout(warmup);
  const durationMs = performance.now() - started;
  const cpuAtEnd = cpuMs(pid);
  agent.destroy();
  const cpuPerRequest =
    cpuAtStart !== null && cpuAtEnd !== null && requests > 0
      ? (cpuAtEnd - cpuAtStart) / requests
      : null;
  return {
    concurrency,
    durationMs: Math.round(durationMs),
    requests,
    errors,
    requestsPerSecond: Math.round((requests * 1000) / durationMs),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    emulatorCpuMsPerRequest: cpuPerRequest === null ? null : round(cpuPerRequest),
    projectedRequestsPerSecondPerCore:
      cpuPerRequest === null || cpuPerRequest === 0 ? null : Math.round(1000 / cpuPerRequest),
  };
}

interface StreamRun {
  opened: number;
  completed: number;
  errors: number;
  wallMs: number;
  timeToFirstByteP50Ms: number;
  timeToFirstByteP99Ms: number;
  durationP50Ms: number;
  durationP99Ms: number;
  emulatorResidentMb: number | null;
}

/** Opens `streamCount` streams at once against the realistic latency preset; counts clean ends. */
async function measureStreams(url: URL, pid: number | undefined): Promise<StreamRun> {
  const agent = new Agent({ keepAlive: false, maxSockets: streamCount });
  const target = new URL('/v1/messages', url);
  const started = performance.now();
  let peakMb: number | null = null;
  const sampler = setInterval(() => {
    const mb = residentMb(pid);
    if (mb !== null) peakMb = Math.max(peakMb ?? 0, mb);
  }, 200);
  const outcomes = await Promise.all(
    Array.from({ length: streamCount }, () =>
      post(target, agent, streamBody).then(
        (exchange) => exchange,
        () => undefined,
      ),
    ),
  );
  clearInterval(sampler);
  const wallMs = performance.now() - started;
  agent.destroy();
  const clean = outcomes.filter(
    (exchange): exchange is Exchange =>
      exchange !== undefined &&
      exchange.status === 200 &&
      exchange.body.startsWith('event: message_start') &&
      exchange.body.includes('event: message_stop'),
  );
  return {
    opened: streamCount,
    completed: clean.length,
    errors: streamCount - clean.length,
    wallMs: Math.round(wallMs),
    timeToFirstByteP50Ms: round(
      percentile(
        clean.map((exchange) => exchange.firstByteMs),
        50,
      ),
    ),
    timeToFirstByteP99Ms: round(
      percentile(
        clean.map((exchange) => exchange.firstByteMs),
        99,
      ),
    ),
    durationP50Ms: round(
      percentile(
        clean.map((exchange) => exchange.totalMs),
        50,
      ),
    ),
    durationP99Ms: round(
      percentile(
        clean.map((exchange) => exchange.totalMs),
        99,
      ),
    ),
    emulatorResidentMb: peakMb,
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

export const benchmark: Benchmark = {
  name: 'emulator',
  description:
    'Emulator capacity: small non-streaming requests per second (keep-alive, several concurrency levels) and 1,000 concurrent realistic-latency streams, against `keel emulator` in a child process',
  async run() {
    // Other work on the machine skews every figure here; the load average says how much.
    const loadBefore = loadavg().map(round);
    const bare = await spawnServer(['-e', baselineServer]);
    let baseline: ThroughputRun;
    try {
      baseline = await measureThroughput(bare.url, 16, bare.child.pid);
    } finally {
      await stop(bare.child);
    }
    const fast = await spawnEmulator([]);
    let throughput: ThroughputRun[];
    try {
      throughput = [];
      for (const concurrency of concurrencyLevels) {
        throughput.push(await measureThroughput(fast.url, concurrency, fast.child.pid));
      }
    } finally {
      await stop(fast.child);
    }
    const realistic = await spawnEmulator(['--latency', 'realistic']);
    let streams: StreamRun;
    try {
      streams = await measureStreams(realistic.url, realistic.child.pid);
    } finally {
      await stop(realistic.child);
    }
    const best = throughput.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
    const met = best.requestsPerSecond >= goalRequestsPerSecond;
    return {
      summary:
        `peak ${best.requestsPerSecond} req/s at concurrency ${best.concurrency} ` +
        `(${throughput.map((run) => `c${run.concurrency}: ${run.requestsPerSecond}`).join(', ')}; ` +
        `goal >= ${goalRequestsPerSecond}: ${met ? 'met' : 'NOT met'}; ` +
        `emulator CPU ${best.emulatorCpuMsPerRequest ?? '?'} ms/request = ~${best.projectedRequestsPerSecondPerCore ?? '?'} req/s per free core; ` +
        `bare node:http baseline on this machine ${baseline.requestsPerSecond} req/s at c16; ` +
        `load average ${loadBefore[0]}); ` +
        `${streams.completed}/${streams.opened} concurrent realistic streams completed cleanly in ${streams.wallMs} ms`,
      results: {
        goalRequestsPerSecond,
        goalMet: met,
        throughput,
        baseline,
        streams,
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg().map(round),
        setup: {
          runMsPerLevel: runMs,
          warmupMs,
          requestBody: JSON.parse(smallBody),
          streamBody: JSON.parse(streamBody),
          client: 'node:http Agent, keep-alive for throughput; one connection per stream',
        },
      },
    };
  },
};

import Anthropic from '@anthropic-ai/sdk';
import { computeCost, formatPicoUsd, type UsageLike } from '@keel/core';
import { startEmulator } from '@keel/emulator';
import type { Benchmark } from '../benchmark.ts';
import { policies } from '../context-cost/policies.ts';
import { standardWorkloads, type Workload } from '../context-cost/workloads.ts';

/** A conservative local estimate (slightly above the emulator's count), so trimming never overshoots. */
const countTokens = (value: unknown) =>
  Math.ceil((typeof value === 'string' ? value : JSON.stringify(value)).length / 3.2);

const ackScenario = 'context-cost-ack';

interface PolicyRun {
  policy: string;
  picoUsd: bigint;
  requests: number;
  failures: number;
  failureMessages: string[];
  factsAsked: number;
  factsPresent: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  uncachedInputTokens: number;
  outputTokens: number;
}

function price(model: string, usage: UsageLike): bigint {
  const cost = computeCost({ model, usage });
  if (!cost.priced) throw new Error(`${model} is unpriced`);
  return cost.picoUsd;
}

async function runPolicy(
  client: Anthropic,
  workload: Workload,
  policyIndex: number,
): Promise<PolicyRun> {
  const policy = policies[policyIndex]!;
  const prepare = policy.start();
  const history: Anthropic.MessageParam[] = [];
  const run: PolicyRun = {
    policy: policy.name,
    picoUsd: 0n,
    requests: 0,
    failures: 0,
    failureMessages: [],
    factsAsked: 0,
    factsPresent: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    uncachedInputTokens: 0,
    outputTokens: 0,
  };
  for (const [index, step] of workload.steps.entries()) {
    history.push(step.user);
    const { params } = prepare({ workload, history, countTokens });
    const sent = JSON.stringify(params);
    for (const fact of workload.facts.filter((candidate) => candidate.askedAt === index)) {
      run.factsAsked++;
      if (sent.includes(fact.value)) run.factsPresent++;
    }
    run.requests++;
    try {
      const message = await client.messages.create(params, {
        headers: { 'x-keel-scenario': ackScenario },
      });
      run.picoUsd += price(workload.model, message.usage);
      run.cacheReadTokens += message.usage.cache_read_input_tokens ?? 0;
      run.cacheWriteTokens += message.usage.cache_creation_input_tokens ?? 0;
      run.uncachedInputTokens += message.usage.input_tokens;
      run.outputTokens += message.usage.output_tokens;
    } catch (error) {
      run.failures++;
      if (run.failureMessages.length < 3)
        run.failureMessages.push(
          error instanceof Error ? error.message.slice(0, 160) : String(error),
        );
    }
    history.push(step.assistant);
  }
  return run;
}

/** The lower bound: every repeated prefix token read at the cache price, each new token written once. */
async function lowerBound(
  client: Anthropic,
  workload: Workload,
  outputTokensPerRequest: number,
): Promise<bigint> {
  const history: Anthropic.MessageParam[] = [];
  const prepare = policies.find((policy) => policy.name === 'naive')!.start();
  let previous = 0;
  let total = 0n;
  for (const step of workload.steps) {
    history.push(step.user);
    const { params } = prepare({ workload, history, countTokens });
    const { max_tokens: _maxTokens, ...countable } = params;
    const { input_tokens: tokens } = await client.messages.countTokens(countable);
    const written = Math.max(0, tokens - previous);
    total += price(workload.model, {
      input_tokens: 0,
      cache_read_input_tokens: Math.min(previous, tokens),
      cache_creation_input_tokens: written,
      cache_creation: { ephemeral_5m_input_tokens: written, ephemeral_1h_input_tokens: 0 },
      output_tokens: outputTokensPerRequest,
    });
    previous = tokens;
    history.push(step.assistant);
  }
  return total;
}

const usd = (picoUsd: bigint) => Number(formatPicoUsd(picoUsd));

export const benchmark: Benchmark = {
  name: 'context-cost',
  description:
    'dollars per workload for naive, sliding-window, automatic caching and Keel context policies',
  async run() {
    const emulator = await startEmulator({
      scenarios: [
        {
          name: ackScenario,
          replies: [{ content: [{ type: 'text', text: 'Noted, thank you.' }] }],
        },
      ],
    });
    const client = new Anthropic({ apiKey: 'bench-key', baseURL: emulator.url, maxRetries: 0 });
    const workloads: Record<string, unknown>[] = [];
    const goals: string[] = [];
    try {
      for (const workload of standardWorkloads()) {
        const runs: PolicyRun[] = [];
        for (let i = 0; i < policies.length; i++) {
          await fetch(`${emulator.url}/_emulator/cache/reset`, { method: 'POST' }).catch(
            () => undefined,
          );
          runs.push(await runPolicy(client, workload, i));
        }
        const keel = runs.find((run) => run.policy === 'keel-default')!;
        const naiveRun = runs.find((run) => run.policy === 'naive')!;
        const sliding = runs.find((run) => run.policy === 'sliding-window')!;
        const bound = await lowerBound(
          client,
          workload,
          Math.round(keel.outputTokens / Math.max(1, keel.requests)),
        );
        const coverage = (run: PolicyRun) =>
          run.factsAsked === 0 ? null : run.factsPresent / run.factsAsked;
        workloads.push({
          workload: workload.name,
          description: workload.description,
          model: workload.model,
          requests: workload.steps.length,
          lowerBoundUsd: usd(bound),
          policies: runs.map((run) => ({
            policy: run.policy,
            usd: usd(run.picoUsd),
            ratioToLowerBound: Number(run.picoUsd) / Number(bound),
            failures: run.failures,
            failureSamples: run.failureMessages,
            contextCoverage: coverage(run),
            tokens: {
              uncachedInput: run.uncachedInputTokens,
              cacheRead: run.cacheReadTokens,
              cacheWrite: run.cacheWriteTokens,
              output: run.outputTokens,
            },
          })),
        });
        const ratio = Number(keel.picoUsd) / Number(bound);
        if (workload.name !== 'long-chat')
          goals.push(
            `${workload.name} keel/bound ${ratio.toFixed(3)}${ratio <= 1.15 ? '' : ' (goal <= 1.15 MISSED)'}`,
          );
        if (workload.name === 'support-chat') {
          const saving = 1 - Number(keel.picoUsd) / Number(naiveRun.picoUsd);
          goals.push(
            `support-chat saving vs naive ${(saving * 100).toFixed(1)}%${saving >= 0.8 ? '' : ' (goal >= 80% MISSED)'}`,
          );
        }
        if (workload.name === 'long-chat') {
          goals.push(
            `long-chat keel failures ${keel.failures}${keel.failures === 0 ? '' : ' (goal 0 MISSED)'}`,
          );
          const keelCoverage = coverage(keel) ?? 0;
          const slidingCoverage = coverage(sliding) ?? 0;
          goals.push(
            `long-chat coverage keel ${(keelCoverage * 100).toFixed(0)}% vs sliding ${(slidingCoverage * 100).toFixed(0)}%${keelCoverage >= slidingCoverage ? '' : ' (goal MISSED)'}`,
          );
        }
        console.log(
          `${workload.name}: ${runs.map((run) => `${run.policy} $${usd(run.picoUsd).toFixed(4)} (${run.failures} failed)`).join(', ')}; bound $${usd(bound).toFixed(4)}`,
        );
      }
    } finally {
      await emulator.close();
    }
    return { summary: goals.join('; '), results: { workloads } };
  },
};

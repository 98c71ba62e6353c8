import Anthropic from '@anthropic-ai/sdk';
import { computeCost, formatPicoUsd, type UsageLike } from '@keel/core';
import { startEmulator } from '@keel/emulator';
import type { Benchmark } from '../benchmark.ts';
import { fullRequest, policies, type Policy } from '../context-cost/policies.ts';
import { standardWorkloads, type Workload } from '../context-cost/workloads.ts';

/** Every policy gets the same short scripted reply, so output cost is equal across policies. */
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
  policy: Policy,
): Promise<PolicyRun> {
  const session = await policy.start(workload);
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
  try {
    for (const [index, step] of workload.steps.entries()) {
      const params = await session.send(step.user);
      const sent = JSON.stringify(params);
      for (const fact of workload.facts.filter((candidate) => candidate.askedAt === index)) {
        run.factsAsked++;
        if (sent.includes(fact.value)) run.factsPresent++;
      }
      run.requests++;
      try {
        const message = await client.messages.create(
          { ...params, stream: false },
          { headers: { 'x-keel-scenario': ackScenario } },
        );
        run.picoUsd += price(workload.model, message.usage);
        run.cacheReadTokens += message.usage.cache_read_input_tokens ?? 0;
        run.cacheWriteTokens += message.usage.cache_creation_input_tokens ?? 0;
        run.uncachedInputTokens += message.usage.input_tokens;
        run.outputTokens += message.usage.output_tokens;
      } catch (error) {
        run.failures++;
        if (run.failureMessages.length < 3) {
          run.failureMessages.push(
            error instanceof Error ? error.message.slice(0, 160) : String(error),
          );
        }
      }
      await session.record(step.assistant);
    }
  } finally {
    await session.close();
  }
  return run;
}

/**
 * The lower bound: every repeated prefix token read at the cache price, each new token written
 * once, from the token counts of the full history. Null when the full history outgrows the
 * context window (the long chat), where no bound of this kind exists.
 */
async function lowerBound(
  client: Anthropic,
  workload: Workload,
  outputTokensPerRequest: number,
): Promise<bigint | null> {
  const history: Anthropic.MessageParam[] = [];
  let previous = 0;
  let total = 0n;
  for (const step of workload.steps) {
    history.push(step.user);
    const { max_tokens: _maxTokens, ...countable } = fullRequest(workload, history);
    let tokens: number;
    try {
      ({ input_tokens: tokens } = await client.messages.countTokens(countable));
    } catch (error) {
      if (error instanceof Anthropic.BadRequestError && /prompt is too long/.test(error.message)) {
        return null;
      }
      throw error;
    }
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
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

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
        for (const policy of policies) {
          await fetch(`${emulator.url}/_emulator/cache/reset`, { method: 'POST' });
          runs.push(await runPolicy(client, workload, policy));
        }
        const find = (name: string) => runs.find((run) => run.policy === name)!;
        const keel = find('keel-default');
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
          lowerBoundUsd: bound === null ? null : usd(bound),
          policies: runs.map((run) => ({
            policy: run.policy,
            usd: usd(run.picoUsd),
            ratioToLowerBound: bound === null ? null : Number(run.picoUsd) / Number(bound),
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
        if (bound !== null) {
          const ratio = Number(keel.picoUsd) / Number(bound);
          goals.push(
            `${workload.name} keel/bound ${ratio.toFixed(3)}${ratio <= 1.15 ? '' : ' (goal <= 1.15 MISSED)'}`,
          );
        }
        if (workload.name === 'support-chat') {
          const saving = 1 - Number(keel.picoUsd) / Number(find('naive').picoUsd);
          goals.push(
            `support-chat saving vs naive ${percent(saving)}${saving >= 0.8 ? '' : ' (goal >= 80% MISSED)'}`,
          );
        }
        if (workload.name === 'long-chat') {
          goals.push(
            `long-chat keel failures ${keel.failures}${keel.failures === 0 ? '' : ' (goal 0 MISSED)'}`,
          );
          const keelCoverage = coverage(keel) ?? 0;
          const slidingCoverage = coverage(find('sliding-window')) ?? 0;
          goals.push(
            `long-chat coverage keel ${percent(keelCoverage)} vs sliding ${percent(slidingCoverage)}${keelCoverage >= slidingCoverage ? '' : ' (goal MISSED)'}`,
          );
        }
        const boundText =
          bound === null
            ? 'n/a (the full history outgrows the window)'
            : `$${usd(bound).toFixed(4)}`;
        console.log(
          `${workload.name}: ${runs.map((run) => `${run.policy} $${usd(run.picoUsd).toFixed(4)} (${run.failures} failed)`).join(', ')}; bound ${boundText}`,
        );
      }
    } finally {
      await emulator.close();
    }
    return { summary: goals.join('; '), results: { workloads } };
  },
};

import { z } from 'zod';
import { runBatch } from '../batch/run-batch.ts';
import type { BatchRequest } from '../batch/batch-types.ts';
import { keelCaller } from '../client/keel-caller.ts';
import type { KeelClient } from '../client/keel-client.ts';
import { computeCost } from '../cost/compute-cost.ts';
import { picoUsdToUsd } from '../cost/pico-usd.ts';
import type { LedgerStore } from '../ledger/ledger-store.ts';
import type { PromptEnvironment } from '../prompts/prompt-schema.ts';
import type {
  PromptTemplate,
  PromptVariableValue,
  RenderedPrompt,
} from '../prompts/prompt-template.ts';
import type { Storage } from '../storage/storage.ts';
import { generateObject } from '../structured/generate-object.ts';
import type { ModelSettings } from '../agent/model-settings.ts';
import { toSupportedSchema } from '../tools/supported-schema.ts';
import { checkAssertion, type AssertionOutcome, type RubricJudge } from './check-assertion.ts';
import type { GoldenCase } from './golden-case.ts';

/** Options of {@link runEval}. */
export interface RunEvalOptions {
  /** Keel's client: calls get retries, cost and ledger entries tagged with the prompt's version. */
  keel: KeelClient;
  /** The prompt file under test. */
  prompt: PromptTemplate;
  /** The golden cases. */
  cases: GoldenCase[];
  /** Which environment's overrides to render with. Default `development`. */
  environment?: PromptEnvironment;
  /** Run the cases through the Message Batches API (half price). */
  batch?: boolean;
  /** Batch mode: where the batch job is kept (resumable). */
  storage?: Storage;
  /** Batch mode: where the results' cost is recorded (the client's ledger covers direct calls). */
  ledger?: LedgerStore;
  /** Batch mode: first wait between polls, ms. */
  pollIntervalMs?: number;
  /** The task of the call that judges `rubric` assertions. Default `classification`. */
  judgeTask?: string;
  /** A model for the judge, overriding `judgeTask`. */
  judgeModel?: string;
  /** Cases run at once (direct mode). Default 4. */
  concurrency?: number;
  /** Called as each case finishes. */
  onProgress?: (progress: { done: number; total: number; passed: number }) => void;
}

/** One case's outcome. */
export interface EvalCaseResult {
  /** The case id. */
  id: string;
  /** Every assertion held. */
  pass: boolean;
  /** The model's text (empty when the call failed). */
  output: string;
  /** Each assertion's outcome. */
  assertions: AssertionOutcome[];
  /** Cost of the case: the call plus any rubric judging, in picodollars (exact; unpriced is 0). */
  costPicoUsd: bigint;
  /** The same cost in USD as a float, for display. */
  costUsd: number;
  /** Why the call itself failed, when it did. */
  error?: string;
}

/** What {@link runEval} returns. */
export interface EvalResult {
  /** The prompt's id. */
  promptId: string;
  /** The prompt's version (content hash). */
  promptVersion: string;
  /** Per case, in input order. */
  cases: EvalCaseResult[];
  /** Passed cases / all cases. */
  passRate: number;
  /** Sum of the cases' costs, in picodollars (exact). */
  totalCostPicoUsd: bigint;
  /** The same sum in USD as a float, for display. */
  totalCostUsd: number;
}

/** One case's call: its text, what it cost, and why it failed when it did. */
interface CaseOutput {
  text: string;
  costPicoUsd: bigint;
  error?: string;
}

const verdictSchema = z.object({
  pass: z.boolean().describe('true when the answer satisfies the rubric'),
  reason: z.string().describe('one sentence on why'),
});

/**
 * Runs a prompt file over a golden dataset: renders each case's variables, calls the model
 * (directly, or as one batch at half price), checks every assertion, and reports pass/fail and
 * cost per case. Rubric assertions are judged by a cheap model through `generateObject`.
 */
export async function runEval(options: RunEvalOptions): Promise<EvalResult> {
  const { keel, prompt, cases } = options;
  const environment = options.environment ?? 'development';
  const rendered = cases.map((goldenCase) =>
    prompt.render(goldenCase.variables as Record<string, PromptVariableValue>, { environment }),
  );
  const judge = rubricJudge(
    keel,
    { task: options.judgeTask ?? 'classification', model: options.judgeModel },
    prompt,
  );
  const total = cases.length;
  let done = 0;
  let passed = 0;
  const finish = async (goldenCase: GoldenCase, output: CaseOutput): Promise<EvalCaseResult> => {
    const assertions: AssertionOutcome[] = [];
    let costPicoUsd = output.costPicoUsd;
    if (output.error === undefined) {
      for (const assertion of goldenCase.assert) {
        const { costPicoUsd: judged, ...outcome } = await checkAssertion(
          assertion,
          output.text,
          judge,
        );
        costPicoUsd += judged;
        assertions.push(outcome);
      }
    }
    const pass = output.error === undefined && assertions.every((outcome) => outcome.pass);
    done++;
    if (pass) passed++;
    options.onProgress?.({ done, total, passed });
    return {
      id: goldenCase.id,
      pass,
      output: output.text,
      assertions,
      costPicoUsd,
      costUsd: picoUsdToUsd(costPicoUsd),
      ...(output.error !== undefined ? { error: output.error } : {}),
    };
  };

  let results: EvalCaseResult[];
  if (options.batch) {
    const routed = rendered.map((render) => keel.route(render));
    const batch = await runBatch({
      keel,
      requests: rendered.map((render, index) => ({
        customId: `case-${index}`,
        params: requestOf(render, routed[index]!.model),
      })),
      ...(options.storage ? { storage: options.storage } : {}),
      ...(options.ledger ? { ledger: options.ledger } : {}),
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
      tags: { feature: 'eval', ...rendered[0]!.tags },
    });
    const byId = new Map(batch.results.map((item) => [item.customId, item]));
    results = [];
    for (const [index, goldenCase] of cases.entries()) {
      const item = byId.get(`case-${index}`);
      const text =
        item?.message?.content
          .flatMap((block) => (block.type === 'text' ? [block.text] : []))
          .join('') ?? '';
      results.push(
        await finish(goldenCase, {
          text,
          costPicoUsd: item?.cost?.priced ? BigInt(item.cost.picoUsd) : 0n,
          ...(item?.status === 'succeeded'
            ? {}
            : { error: item?.error?.message ?? item?.status ?? 'no result' }),
        }),
      );
    }
  } else {
    results = new Array<EvalCaseResult>(cases.length);
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const render = rendered[index]!;
        let output: CaseOutput;
        try {
          const result = await keel.call(
            { ...requestOf(render, render.model), ...(render.task ? { task: render.task } : {}) },
            { tags: { feature: 'eval', ...render.tags }, onTruncation: 'return' },
          );
          output = {
            text: result.text,
            costPicoUsd: result.cost.priced ? result.cost.picoUsd : 0n,
          };
        } catch (error) {
          output = {
            text: '',
            costPicoUsd: 0n,
            error: error instanceof Error ? error.message : String(error),
          };
        }
        results[index] = await finish(cases[index]!, output);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency ?? 4, cases.length) }, worker),
    );
  }
  const passCount = results.filter((result) => result.pass).length;
  const totalCostPicoUsd = results.reduce((sum, result) => sum + result.costPicoUsd, 0n);
  return {
    promptId: prompt.id,
    promptVersion: prompt.version,
    cases: results,
    passRate: results.length === 0 ? 0 : passCount / results.length,
    totalCostPicoUsd,
    totalCostUsd: picoUsdToUsd(totalCostPicoUsd),
  };
}

/** The Messages request for a rendered prompt (its output schema becomes the native format). */
function requestOf(render: RenderedPrompt, model: string | undefined): BatchRequest['params'] {
  // temperature is Keel's field: the client sends it only where the version and model accept it.
  return {
    model,
    max_tokens: render.maxTokens,
    messages: render.messages,
    ...(render.system ? { system: render.system } : {}),
    ...(render.temperature !== undefined ? { temperature: render.temperature } : {}),
    // The API takes only its schema subset (every object closed, no numeric bounds...): an open
    // object is a 400. What the subset cannot say, the golden cases' assertions check.
    ...(render.outputSchema
      ? {
          output_config: {
            format: { type: 'json_schema', schema: toSupportedSchema(render.outputSchema).schema },
          },
        }
      : {}),
  } as BatchRequest['params'];
}

function rubricJudge(
  keel: KeelClient,
  judge: Pick<ModelSettings, 'model' | 'task'>,
  prompt: PromptTemplate,
): RubricJudge {
  const caller = keelCaller(keel, { tags: { feature: 'eval-judge', promptId: prompt.id } });
  return async (rubric, output) => {
    const result = await generateObject({
      caller,
      ...judge,
      schema: verdictSchema,
      system:
        'You grade an answer against a rubric. Answer pass=true only when the answer fully meets the rubric.',
      messages: [
        {
          role: 'user',
          content: `<rubric>\n${rubric}\n</rubric>\n<answer>\n${output}\n</answer>`,
        },
      ],
      maxTokens: 512,
    });
    const message = result.message;
    const cost = computeCost({ model: message.model, usage: message.usage });
    return { ...result.object, costPicoUsd: cost.priced ? cost.picoUsd : 0n };
  };
}

import {
  MIN_THINKING_BUDGET,
  splitThinking,
  ThinkingConfigError,
  thinkingForModel,
  validateThinking,
  type KeelClient,
} from '@keel/core';
import { connect, isMain } from '../shared/connect.ts';

/** A hard question answered with room to reason; the reasoning is kept apart from the answer. */
export async function solveWithThinking(
  keel: KeelClient,
  question: string,
  budgetTokens = 4096,
  model = 'claude-sonnet-5-5',
): Promise<{ answer: string; thinking: string; costUsd: number | undefined }> {
  if (budgetTokens < MIN_THINKING_BUDGET) {
    throw new ThinkingConfigError(model, [
      `ask for at least ${MIN_THINKING_BUDGET} tokens of reasoning`,
    ]);
  }
  // The 5.x models refuse a manual budget_tokens: the budget becomes adaptive thinking with an
  // effort level there, and stays a budget on models that still take one.
  const { thinking, effort, budgetCounted } = thinkingForModel({ model, budgetTokens });
  const maxTokens = (budgetCounted ? budgetTokens : 0) + 2048;
  // Opus 4.7 and later return thinking blocks empty unless asked for the summary.
  const shown =
    thinking?.type === 'adaptive' ? { ...thinking, display: 'summarized' as const } : thinking;
  // Checked against the model's capabilities before any token is paid for.
  validateThinking({
    model,
    maxTokens,
    ...(shown ? { thinking: shown } : {}),
    ...(effort ? { effort } : {}),
  });
  const result = await keel.call(
    {
      model,
      max_tokens: maxTokens,
      ...(shown ? { thinking: shown } : {}),
      ...(effort ? { output_config: { effort } } : {}),
      messages: [{ role: 'user', content: question }],
    },
    { tags: { feature: 'thinking' } },
  );
  const split = splitThinking(result.message);
  return {
    answer: split.text,
    thinking: split.thinking,
    costUsd: result.cost.priced ? result.cost.usd : undefined,
  };
}

if (isMain(import.meta.url)) {
  const connection = await connect();
  try {
    const solved = await solveWithThinking(
      connection.keel,
      'A train leaves at 9:40 and arrives at 13:05. How long is the trip?',
    );
    console.log(`thinking (${solved.thinking.length} chars), then:\n${solved.answer}`);
  } finally {
    await connection.close();
  }
}

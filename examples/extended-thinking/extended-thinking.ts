import { splitThinking, validateThinking, type KeelClient } from '@keel/core';
import { connect, isMain } from '../shared/connect.ts';

/** A hard question answered with a thinking budget; the reasoning is kept apart from the answer. */
export async function solveWithThinking(
  keel: KeelClient,
  question: string,
  budgetTokens = 4096,
): Promise<{ answer: string; thinking: string; costUsd: number | undefined }> {
  // Manual budgets need a model that still accepts them: the 5.x models think adaptively and
  // answer a budget_tokens request with a 400, so this example stays on Claude Sonnet 4.6 (legacy).
  const model = 'claude-sonnet-4-6';
  const thinking = { type: 'enabled' as const, budget_tokens: budgetTokens };
  // Checked against the model's capabilities before any token is paid for.
  validateThinking({ model, thinking, maxTokens: budgetTokens + 2048 });
  const result = await keel.call(
    {
      model,
      max_tokens: budgetTokens + 2048,
      thinking,
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

import { fileURLToPath } from 'node:url';
import { generateObject, keelCaller, loadPromptFile, type KeelClient } from '@keel/core';
import { z } from 'zod';
import { connect, isMain } from '../shared/connect.ts';

/** The review contract: what the team's tooling parses. */
export const reviewSchema = z.object({
  summary: z.string(),
  issues: z.array(
    z.object({
      severity: z.enum(['critical', 'major', 'minor', 'suggestion']),
      category: z.enum(['correctness', 'security', 'performance', 'maintainability']),
      location: z.string(),
      description: z.string(),
      suggestion: z.string(),
    }),
  ),
  approved: z.boolean(),
});

export type Review = z.infer<typeof reviewSchema>;

const promptPath = fileURLToPath(new URL('./prompts/code-review.md', import.meta.url));

/** Reviews a diff with the versioned prompt file; the ledger entry carries its id and version. */
export async function reviewCode(keel: KeelClient, diff: string): Promise<Review> {
  const prompt = loadPromptFile(promptPath).render({ diff });
  const { object } = await generateObject({
    caller: keelCaller(keel, { tags: { feature: 'code-review' } }),
    model: prompt.model ?? 'claude-sonnet-5-5',
    schema: reviewSchema,
    system: prompt.system,
    messages: prompt.messages,
    maxTokens: prompt.maxTokens,
    tags: prompt.tags,
  });
  return object;
}

/** Offline: the emulator answers with a review that flags the SQL injection. */
export const scenarios = [
  {
    name: 'sql-injection-review',
    match: { userContains: ['Review this change'] },
    replies: [
      {
        content: [
          {
            type: 'text' as const,
            text: JSON.stringify({
              summary: 'Builds SQL from user input.',
              issues: [
                {
                  severity: 'critical',
                  category: 'security',
                  location: 'users.ts:3',
                  description: 'The id is concatenated into the SQL text.',
                  suggestion: 'Use a parameterized query.',
                },
              ],
              approved: false,
            }),
          },
        ],
      },
    ],
  },
];

export const sampleDiff = `--- a/users.ts
+++ b/users.ts
@@
+export function findUser(id: string) {
+  return db.query("SELECT * FROM users WHERE id = '" + id + "'");
+}`;

if (isMain(import.meta.url)) {
  const connection = await connect({ scenarios });
  try {
    console.log(JSON.stringify(await reviewCode(connection.keel, sampleDiff), null, 2));
  } finally {
    await connection.close();
  }
}

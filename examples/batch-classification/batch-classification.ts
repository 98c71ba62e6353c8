import type { LedgerStore } from '@keel/core';
import { runBatch, type KeelClient, type Storage } from '@keel/core';
import { connect, isMain } from '../shared/connect.ts';

const labels = ['positive', 'negative', 'neutral'] as const;
export type Sentiment = (typeof labels)[number];

/**
 * Classifies many reviews through the Batch API (half price, results within 24 h): one request
 * per review, results mapped back by id, cost recorded in the ledger at the batch discount.
 */
export async function classifyReviews(
  keel: KeelClient,
  reviews: Record<string, string>,
  options: { storage?: Storage; ledger?: LedgerStore; pollIntervalMs?: number } = {},
): Promise<{ labels: Record<string, Sentiment | 'unknown'>; costUsd: number }> {
  const result = await runBatch({
    keel,
    requests: Object.entries(reviews).map(([id, review]) => ({
      customId: id,
      params: {
        model: 'claude-haiku-5-5',
        max_tokens: 8,
        system:
          'Classify the sentiment of the review. Answer with one word: positive, negative or neutral.',
        messages: [{ role: 'user', content: `Review: ${review}` }],
      },
    })),
    tags: { feature: 'review-classification' },
    ...options,
  });
  const byId: Record<string, Sentiment | 'unknown'> = {};
  for (const item of result.results) {
    const text = item.message?.content
      .flatMap((block) => (block.type === 'text' ? [block.text] : []))
      .join('')
      .trim()
      .toLowerCase();
    byId[item.customId] = labels.find((label) => text === label) ?? 'unknown';
  }
  return { labels: byId, costUsd: Number(result.costPicoUsd) / 1e12 };
}

/** Offline: the emulator answers by the review's words. */
export const scenarios = [
  {
    name: 'loved',
    match: { userContains: ['love'] },
    replies: [{ content: [{ type: 'text' as const, text: 'positive' }] }],
  },
  {
    name: 'broke',
    match: { userContains: ['broke'] },
    replies: [{ content: [{ type: 'text' as const, text: 'negative' }] }],
  },
  {
    name: 'fine',
    match: { userContains: ['arrived'] },
    replies: [{ content: [{ type: 'text' as const, text: 'neutral' }] }],
  },
];

export const sampleReviews = {
  r1: 'I love this kettle.',
  r2: 'It broke after two days.',
  r3: 'It arrived on Tuesday.',
};

if (isMain(import.meta.url)) {
  const connection = await connect({ scenarios });
  try {
    console.log(await classifyReviews(connection.keel, sampleReviews, { pollIntervalMs: 1000 }));
  } finally {
    await connection.close();
  }
}

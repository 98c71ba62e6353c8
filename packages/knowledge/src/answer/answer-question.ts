import { retrieve } from '../index/retrieve.ts';
import type { AnswerOptions } from './answer-options.ts';
import { modelForTask } from './model-for-task.ts';
import { defaultAnswerTask } from './answer-options.ts';
import type { Answer, Citation } from './answer-types.ts';
import { buildAnswerRequest } from './build-answer-request.ts';
import { classifyAnswer, usageOf } from './classify-answer.ts';
import { toCitation } from './collect-citations.ts';

/**
 * Answers a question from the knowledge base: retrieves chunks, and when none is relevant
 * returns `not_found` without calling the model; otherwise asks Claude with the chunks as
 * citable documents and returns the answer with its citations as data.
 */
export async function answerQuestion(options: AnswerOptions): Promise<Answer> {
  const { chunks } = await retrieve({
    index: options.index,
    query: options.question,
    ...(options.embeddings ? { embeddings: options.embeddings } : {}),
    ...options.retrieval,
  });
  if (chunks.length === 0) {
    return {
      outcome: 'not_found',
      reason: 'no_relevant_chunks',
      text: null,
      sources: [],
      usage: null,
    };
  }
  const model = options.model ?? modelForTask(options.client, options.task ?? defaultAnswerTask);
  const message = await options.client.messages.create(
    buildAnswerRequest({
      question: options.question,
      chunks,
      model,
      maxTokens: options.maxTokens ?? 1024,
    }),
  );
  let text = '';
  const citations: Citation[] = [];
  for (const block of message.content) {
    if (block.type !== 'text') continue;
    for (const citation of block.citations ?? []) {
      const converted = toCitation(citation, chunks, text.length);
      if (converted) citations.push(converted);
    }
    text += block.text;
  }
  return classifyAnswer({
    text,
    citations,
    sources: chunks,
    model: message.model,
    usage: usageOf(message.usage),
  });
}

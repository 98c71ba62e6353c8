import { retrieve } from '../index/retrieve.ts';
import { defaultAnswerTask, type AnswerOptions } from './answer-options.ts';
import { modelForTask } from './model-for-task.ts';
import { notFoundMarker, type AnswerEvent, type Citation } from './answer-types.ts';
import { buildAnswerRequest } from './build-answer-request.ts';
import { classifyAnswer, usageOf } from './classify-answer.ts';
import { toCitation } from './collect-citations.ts';

/**
 * The streaming form of {@link answerQuestion}: yields the sources, then the answer as it is
 * written (`text-delta`, `citation`), then `finish` with the same result the non-streaming form
 * returns. Text that could be the start of the not-found marker is held back until it is clear
 * it is not, so a declined answer never flashes the marker.
 */
export async function* streamAnswer(options: AnswerOptions): AsyncGenerator<AnswerEvent> {
  const { chunks } = await retrieve({
    index: options.index,
    query: options.question,
    ...(options.embeddings ? { embeddings: options.embeddings } : {}),
    ...options.retrieval,
  });
  yield { type: 'sources', sources: chunks };
  if (chunks.length === 0) {
    yield {
      type: 'finish',
      answer: {
        outcome: 'not_found',
        reason: 'no_relevant_chunks',
        text: null,
        sources: [],
        usage: null,
      },
    };
    return;
  }
  const model = options.model ?? modelForTask(options.client, options.task ?? defaultAnswerTask);
  const request = buildAnswerRequest({
    question: options.question,
    chunks,
    model,
    maxTokens: options.maxTokens ?? 1024,
  });
  const stream = options.client.messages.stream(request);
  let text = '';
  let released = 0;
  let declined = false;
  const citations: Citation[] = [];
  let completed = false;
  try {
    for await (const event of stream) {
      if (event.type !== 'content_block_delta') continue;
      if (event.delta.type === 'text_delta') {
        text += event.delta.text;
        if (declined) continue;
        const trimmed = text.trimStart();
        if (trimmed.startsWith(notFoundMarker)) {
          declined = true;
          continue;
        }
        if (released === 0 && notFoundMarker.startsWith(trimmed)) continue;
        yield { type: 'text-delta', text: text.slice(released) };
        released = text.length;
      } else if (event.delta.type === 'citations_delta') {
        const citation = toCitation(event.delta.citation, chunks, text.length);
        if (!citation) continue;
        citations.push(citation);
        if (!declined) yield { type: 'citation', citation };
      }
    }
    const message = await stream.finalMessage();
    completed = true;
    if (!declined && released < text.length)
      yield { type: 'text-delta', text: text.slice(released) };
    yield {
      type: 'finish',
      answer: classifyAnswer({
        text,
        citations,
        sources: chunks,
        model: message.model,
        usage: usageOf(message.usage),
      }),
    };
  } finally {
    // A consumer that stops reading early must not leave the HTTP stream running.
    if (!completed) stream.abort();
  }
}

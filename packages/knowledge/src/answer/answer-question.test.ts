import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteIndex, type SqliteKnowledgeIndex } from '../index/sqlite-knowledge-index.ts';
import { ingest } from '../ingest/ingest.ts';
import { answerQuestion } from './answer-question.ts';
import type { AnswerEvent } from './answer-types.ts';
import { streamAnswer } from './stream-answer.ts';

let emulator: EmulatorHandle;
let directory: string;
let index: SqliteKnowledgeIndex;
let client: Anthropic;
const requests: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  emulator = await startEmulator({
    scenarios: [
      {
        name: 'declines',
        match: { userContains: ['windows'] },
        replies: [
          {
            content: [
              {
                type: 'text',
                text: 'NOT_IN_KNOWLEDGE_BASE The documents cover billing and the office.',
              },
            ],
          },
        ],
      },
      {
        name: 'answers without citing',
        match: { userContains: ['parking'] },
        replies: [{ content: [{ type: 'text', text: 'Parking is free for staff.' }] }],
      },
    ],
  });
  directory = mkdtempSync(join(tmpdir(), 'keel-answer-'));
  writeFileSync(
    join(directory, 'billing.md'),
    '# Billing\n\n## Refunds\n\nRefunds are processed within fourteen business days. Contact billing for help.\n',
  );
  writeFileSync(
    join(directory, 'office.md'),
    '# Office\n\nThe office is in Lisbon, near the river.\n',
  );
  index = openSqliteIndex({ path: join(directory, 'kb.sqlite') });
  await ingest({ index, paths: [directory] });
  // Every request body is recorded: the tests check what was (and was not) sent.
  const recordingFetch: typeof fetch = async (input, init) => {
    if (typeof init?.body === 'string')
      requests.push(JSON.parse(init.body) as Record<string, unknown>);
    return fetch(input, init);
  };
  client = new Anthropic({
    apiKey: 'test-key',
    baseURL: emulator.url,
    fetch: recordingFetch,
    maxRetries: 0,
  });
});

afterAll(async () => {
  await index.close();
  await emulator.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('answerQuestion against the emulator', () => {
  it('sends the chunks as cached, citable documents and returns the citations as data', async () => {
    const before = requests.length;
    const answer = await answerQuestion({ question: 'How long do refunds take?', index, client });

    expect(requests.length).toBe(before + 1);
    const request = requests.at(-1)! as {
      system: Array<{ text: string; cache_control?: unknown }>;
      messages: Array<{ content: Array<Record<string, unknown>> }>;
    };
    expect(request.system[0]!.cache_control).toEqual({ type: 'ephemeral' });
    expect(request.system[0]!.text).toContain('NOT_IN_KNOWLEDGE_BASE');
    const content = request.messages[0]!.content;
    const documents = content.filter((block) => block.type === 'document');
    expect(documents[0]).toMatchObject({
      title: 'Billing',
      citations: { enabled: true },
      source: {
        type: 'text',
        media_type: 'text/plain',
        data: expect.stringContaining('fourteen business days'),
      },
    });
    expect(documents.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    expect(content.at(-1)).toEqual({ type: 'text', text: 'How long do refunds take?' });

    expect(answer.outcome).toBe('answered');
    if (answer.outcome !== 'answered') return;
    expect(answer.text).toContain('fourteen business days');
    expect(answer.citations.length).toBeGreaterThan(0);
    for (const cited of answer.citations) {
      const chunk = answer.sources.find((hit) => hit.chunk.id === cited.chunkId)!.chunk;
      expect(chunk.text).toContain(cited.citedText);
    }
    const citation = answer.citations.find((cited) => cited.citedText.includes('fourteen'));
    expect(citation).toMatchObject({
      source: join(directory, 'billing.md'),
      chunkId: answer.sources[0]!.chunk.id,
      title: 'Billing',
      citedText: 'Refunds are processed within fourteen business days.',
    });
    // The span points into the chunk text that was sent.
    const sent = answer.sources[0]!.chunk.text;
    expect(sent.slice(citation!.startChar!, citation!.endChar!)).toBe(citation!.citedText);
    expect(answer.text.slice(citation!.answerOffset).trimStart()).toMatch(/^Refunds are processed/);
    expect(answer.usage.inputTokens).toBeGreaterThan(0);
  });

  it('returns not_found without calling the model when nothing relevant is indexed', async () => {
    const before = requests.length;
    const answer = await answerQuestion({
      question: 'What is the boiling point of mercury?',
      index,
      client,
    });
    expect(answer).toEqual({
      outcome: 'not_found',
      reason: 'no_relevant_chunks',
      text: null,
      sources: [],
      usage: null,
    });
    expect(requests.length).toBe(before);
  });

  it('returns not_found when the model says the context lacks the answer', async () => {
    const answer = await answerQuestion({
      question: 'Who cleans the office windows?',
      index,
      client,
    });
    expect(answer).toMatchObject({
      outcome: 'not_found',
      reason: 'model_declined',
      text: 'The documents cover billing and the office.',
    });
    expect(answer.sources.map((hit) => hit.chunk.title)).toEqual(['Office']);
  });

  it('does not pass off an answer without citations as grounded', async () => {
    const answer = await answerQuestion({ question: 'Is office parking free?', index, client });
    expect(answer).toMatchObject({
      outcome: 'not_found',
      reason: 'uncited',
      text: 'Parking is free for staff.',
    });
  });

  it('never streams the not-found marker', async () => {
    const events: AnswerEvent[] = [];
    for await (const event of streamAnswer({
      question: 'Who cleans the office windows?',
      index,
      client,
    })) {
      events.push(event);
    }
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([]);
    expect(events.at(-1)).toMatchObject({
      type: 'finish',
      answer: { outcome: 'not_found', reason: 'model_declined' },
    });
  });

  it('streams the same answer text, sources first and the final answer last', async () => {
    const events: AnswerEvent[] = [];
    for await (const event of streamAnswer({
      question: 'How long do refunds take?',
      index,
      client,
    }))
      events.push(event);

    expect(events[0]!.type).toBe('sources');
    const finish = events.at(-1)!;
    expect(finish.type).toBe('finish');
    if (finish.type !== 'finish') return;
    const streamed = events
      .flatMap((event) => (event.type === 'text-delta' ? [event.text] : []))
      .join('');
    expect(streamed).toContain('Refunds are processed within fourteen business days.');
    expect(finish.answer.text).toBe(streamed);
    const streamedCitations = events.flatMap((event) =>
      event.type === 'citation' ? [event.citation] : [],
    );
    expect(finish.answer.outcome === 'answered' ? finish.answer.citations : []).toEqual(
      streamedCitations,
    );
  });
});

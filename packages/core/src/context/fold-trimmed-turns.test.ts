import Anthropic from '@anthropic-ai/sdk';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagesCaller, MessagesRequest } from '../call/messages-caller.ts';
import { sdkCaller } from '../client/sdk-caller.ts';
import type { ToolLogger } from '../tools/tool-context.ts';
import { contextPrompts } from './context-prompts.ts';
import type { MessageParam } from '../call/conversation-shape.ts';
import type { ContextState } from './conversation-store.ts';
import {
  foldTrimmedTurns,
  transcriptCharacterLimit,
  trimmedTranscript,
} from './fold-trimmed-turns.ts';
import { memoryItemLimits, mergeMemory } from './memory-extraction.ts';

/** A logger that keeps its lines, to check what a step told. */
function recordingLogger() {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message?: string }> = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message?: string): void => {
      lines.push({ level, fields, ...(message === undefined ? {} : { message }) });
    };
  const logger: ToolLogger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, lines };
}

/** A caller that answers every request with the next scripted reply and keeps what it was sent. */
function scriptedCaller(replies: Array<Pick<Message, 'content' | 'stop_reason'> | Error>) {
  const sent: Array<{ request: MessagesRequest; tags: unknown }> = [];
  const caller: MessagesCaller = {
    create: async (request, options) => {
      sent.push({ request, tags: options?.tags });
      const reply = replies.shift()!;
      if (reply instanceof Error) throw reply;
      return {
        id: 'msg_scripted',
        type: 'message',
        role: 'assistant',
        model: request.model,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 10 },
        ...reply,
      } as Message;
    },
    stream: () => {
      throw new Error('not used');
    },
  };
  return { caller, sent };
}

const text = (value: string) => [{ type: 'text' as const, text: value, citations: null }];
const dropped: MessageParam[] = [
  { role: 'user', content: 'My order number is A-1 and I prefer email.' },
  { role: 'assistant', content: [{ type: 'text', text: 'Noted: order A-1, by email.' }] },
];
const context: ContextState = {
  trimStart: 0,
  summary: 'The customer asked about a refund.',
  memory: { facts: ['lives in Lyon'], decisions: [], preferences: [] },
};
const { summary: summaryPrompt, memory: memoryPrompt } = contextPrompts();
const tags = { user: 'u1', session: 's1' };

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('folding trimmed turns', () => {
  it('writes the turns as one role-prefixed line each, cut to the transcript limit', () => {
    expect(trimmedTranscript(dropped)).toBe(
      'user: My order number is A-1 and I prefer email.\nassistant: Noted: order A-1, by email.',
    );
    const long: MessageParam[] = [{ role: 'user', content: 'x'.repeat(50_000) }];
    expect(trimmedTranscript(long)).toHaveLength(transcriptCharacterLimit);
  });

  it('updates the summary from the prompt file, paid by the user and session', async () => {
    const { caller, sent } = scriptedCaller([
      { content: text('Refund asked; order A-1; email.'), stop_reason: 'end_turn' },
    ]);
    const { logger } = recordingLogger();
    const folded = await foldTrimmedTurns({
      context,
      dropped,
      summarize: { caller, model: 'claude-haiku-5-5', prompt: summaryPrompt },
      tags,
      logger,
    });
    expect(folded).toEqual({ ...context, summary: 'Refund asked; order A-1; email.' });
    expect(sent[0]!.request).toMatchObject({
      model: 'claude-haiku-5-5',
      max_tokens: 600,
      system: expect.stringMatching(/^You maintain a running summary/),
    });
    expect(JSON.stringify(sent[0]!.request.messages)).toContain(
      'Current summary:\\nThe customer asked about a refund.',
    );
    expect(sent[0]!.tags).toEqual({
      ...tags,
      feature: 'context-summary',
      promptId: 'context-summary',
      promptVersion: summaryPrompt.version,
    });
  });

  it('keeps the previous summary, and says so, when the new one is cut off', async () => {
    const { caller } = scriptedCaller([
      { content: text('Refund asked; order A-'), stop_reason: 'max_tokens' },
    ]);
    const { logger, lines } = recordingLogger();
    const folded = await foldTrimmedTurns({
      context,
      dropped,
      summarize: { caller, model: 'claude-haiku-5-5', prompt: summaryPrompt },
      logger,
    });
    expect(folded.summary).toBe(context.summary);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({
          event: 'context_summary_kept',
          stopReason: 'max_tokens',
        }),
      }),
    ]);
  });

  it('keeps the previous summary when the answer has no text', async () => {
    const { caller } = scriptedCaller([{ content: [], stop_reason: 'end_turn' }]);
    const { logger, lines } = recordingLogger();
    const folded = await foldTrimmedTurns({
      context: { ...context, summary: null },
      dropped,
      summarize: { caller, model: 'claude-haiku-5-5', prompt: summaryPrompt },
      logger,
    });
    expect(folded.summary).toBeNull();
    expect(lines.map((line) => line.fields.event)).toEqual(['context_summary_kept']);
  });

  it('lets a failed summary call stop the turn (a budget refusal must reach the caller)', async () => {
    const refused = new Error('budget exceeded');
    const { caller } = scriptedCaller([refused]);
    await expect(
      foldTrimmedTurns({
        context,
        dropped,
        summarize: { caller, model: 'claude-haiku-5-5', prompt: summaryPrompt },
        logger: recordingLogger().logger,
      }),
    ).rejects.toBe(refused);
  });

  it('adds extracted memory through the API (emulator)', async () => {
    const caller = sdkCaller(
      new Anthropic({ apiKey: 'fold-test', baseURL: emulator.url, maxRetries: 0 }),
    );
    const { logger, lines } = recordingLogger();
    const folded = await foldTrimmedTurns({
      context,
      dropped,
      memory: { caller, model: 'claude-haiku-4-5', prompt: memoryPrompt },
      logger,
    });
    expect(lines).toEqual([]);
    expect(folded.summary).toBe(context.summary);
    expect(folded.memory.facts[0]).toBe('lives in Lyon');
    for (const kind of ['facts', 'decisions', 'preferences'] as const)
      expect(Array.isArray(folded.memory[kind])).toBe(true);
  });

  it('keeps the previous memory and logs the failure when extraction fails', async () => {
    const { caller } = scriptedCaller([new Error('overloaded')]);
    const { logger, lines } = recordingLogger();
    const folded = await foldTrimmedTurns({
      context,
      dropped,
      memory: { caller, model: 'claude-haiku-5-5', prompt: memoryPrompt },
      logger,
    });
    expect(folded.memory).toBe(context.memory);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      fields: {
        event: 'context_memory_kept',
        err: expect.objectContaining({ message: 'overloaded' }),
      },
    });
  });

  it('makes no call when nothing was trimmed', async () => {
    const { caller, sent } = scriptedCaller([]);
    const folded = await foldTrimmedTurns({
      context,
      dropped: [],
      summarize: { caller, model: 'claude-haiku-5-5', prompt: summaryPrompt },
      memory: { caller, model: 'claude-haiku-5-5', prompt: memoryPrompt },
      logger: recordingLogger().logger,
    });
    expect(folded).toBe(context);
    expect(sent).toEqual([]);
  });
});

describe('merging memory', () => {
  it('drops blanks and duplicates and keeps the newest items within each limit', () => {
    const facts = Array.from({ length: 45 }, (_, index) => `fact ${index}`);
    const merged = mergeMemory(
      { facts: facts.slice(0, 30), decisions: ['refund'], preferences: ['email'] },
      { facts: [...facts.slice(25), '  '], decisions: [' refund '], preferences: ['phone'] },
    );
    expect(merged.facts).toEqual(facts.slice(45 - memoryItemLimits.facts));
    expect(merged.decisions).toEqual(['refund']);
    expect(merged.preferences).toEqual(['email', 'phone']);
  });
});

import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';

/**
 * Preserved thinking, through the official SDK over a real socket: on the models that run the
 * prefix check (Fable 5.x, Opus 5.5, Sonnet 5.5, Haiku 5.5), a thinking block passed back is tied
 * to the system prompt, tools and messages before it; any edit there is a 400 with the documented
 * text (https://platform.claude.com/docs/zh-CN/build-with-claude/preserved-thinking/fix-bound-to-a-different-conversation).
 */

const boundError =
  'messages.1.content.0: Invalid `signature` in `thinking` block. The block is bound to a different conversation. Remove the block, or set `thinking.block_binding.prefix_mismatch_behavior` to "drop_block".';

let emulator: EmulatorHandle;
let client: Anthropic;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey: 'binding-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

const firstQuestion = 'Why is the sky blue?';

function turn(
  model: string,
  display: 'summarized' | 'omitted',
): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model,
    max_tokens: 2000,
    system: 'You are a physics tutor.',
    thinking: { type: 'adaptive', display },
    messages: [{ role: 'user', content: firstQuestion }],
  };
}

/** The follow-up request: the first turn's answer passed back, then a new question. */
function followUp(
  first: Anthropic.MessageCreateParamsNonStreaming,
  answer: Anthropic.Message,
  edit: (body: Anthropic.MessageCreateParamsNonStreaming) => void = () => {},
): Anthropic.MessageCreateParamsNonStreaming {
  const body: Anthropic.MessageCreateParamsNonStreaming = {
    ...first,
    messages: [
      ...first.messages,
      { role: 'assistant', content: answer.content },
      { role: 'user', content: 'And why are sunsets red?' },
    ],
  };
  edit(body);
  return body;
}

async function expect400(promise: Promise<unknown>, message: string) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  expect((error as { error?: { error?: { message?: unknown } } }).error?.error?.message).toBe(
    message,
  );
}

describe('the prefix check on Opus 5.5', () => {
  it('accepts the turn passed back as returned, plain or streamed, text shown or withheld', async () => {
    for (const display of ['summarized', 'omitted'] as const) {
      const first = turn('claude-opus-5-5', display);
      const plain = await client.messages.create(first);
      expect(plain.content[0]?.type).toBe('thinking');
      const next = await client.messages.create(followUp(first, plain));
      expect(next.stop_reason).toBe('end_turn');
      const streamed = await client.messages.stream(first).finalMessage();
      expect(streamed.content).toEqual(plain.content);
      await client.messages.create(followUp(first, streamed));
    }
  });

  it('refuses the block once the system prompt, tools or an earlier message changed', async () => {
    const first = turn('claude-opus-5-5', 'omitted');
    const answer = await client.messages.create(first);
    const edits: Array<(body: Anthropic.MessageCreateParamsNonStreaming) => void> = [
      (body) => (body.system = 'You are a patient physics tutor.'),
      (body) =>
        (body.tools = [
          { name: 'lookup', description: 'Look up a fact', input_schema: { type: 'object' } },
        ]),
      (body) => (body.messages[0] = { role: 'user', content: 'Why is the sea blue?' }),
    ];
    for (const edit of edits) {
      await expect400(client.messages.create(followUp(first, answer, edit)), boundError);
    }
  });

  it('ignores what a client may re-serialize: string content as a text block, cache markers', async () => {
    const first = turn('claude-opus-5-5', 'summarized');
    const answer = await client.messages.create(first);
    const next = await client.messages.create(
      followUp(first, answer, (body) => {
        body.messages[0] = {
          role: 'user',
          content: [{ type: 'text', text: firstQuestion, cache_control: { type: 'ephemeral' } }],
        };
      }),
    );
    expect(next.stop_reason).toBe('end_turn');
  });
});

describe('models without preserved thinking', () => {
  it('let Sonnet 4.6 take its thinking back under an edited system prompt', async () => {
    const first = turn('claude-sonnet-4-6', 'summarized');
    const answer = await client.messages.create(first);
    const next = await client.messages.create(
      followUp(first, answer, (body) => (body.system = 'You are a chemistry tutor.')),
    );
    expect(next.stop_reason).toBe('end_turn');
  });
});

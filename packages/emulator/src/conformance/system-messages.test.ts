import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';

/**
 * Mid-conversation system messages (`role: "system"` inside `messages`) through the official SDK
 * over a real socket: accepted without a beta on the models that take them, their per-turn fields
 * under their betas, the placement and content rules refused with a 400, counted and cached like
 * the text they hold, and read by the responder as instructions, not as the user's words. Sources
 * in messages/system-messages.ts.
 */

let emulator: EmulatorHandle;
let client: Anthropic;

const model = 'claude-sonnet-5-5';
/** The betas Claude Code 2.1.332 sends with its first request on a 5.x model. */
const claudeCodeBetas: Anthropic.Beta.AnthropicBeta[] = [
  'context-management-2025-06-27',
  'per-turn-control-2026-07-01',
  'mid-conversation-tool-changes-2026-07-01',
  'effort-2025-11-24',
];

beforeAll(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey: 'system-messages-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

async function expect400(call: Promise<unknown>, message: string | RegExp): Promise<void> {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error('the request was accepted');
  if (!(caught instanceof Anthropic.APIError)) {
    throw caught instanceof Error ? caught : new Error(String(caught));
  }
  expect(caught.status, caught.message).toBe(400);
  const body = caught.error as { error?: { type?: string; message?: string } };
  expect(body.error?.type).toBe('invalid_request_error');
  if (typeof message === 'string') expect(body.error?.message).toBe(message);
  else expect(body.error?.message).toMatch(message);
}

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};

type Params = Anthropic.Beta.MessageCreateParamsNonStreaming;
const create = (params: Partial<Params> & Pick<Params, 'messages'>) =>
  client.beta.messages.create({ model, max_tokens: 256, betas: claudeCodeBetas, ...params });

describe('mid-conversation system messages', () => {
  it("Claude Code's shape is accepted: a system message after the user turn, with cache_control and a per-turn effort", async () => {
    const message = await create({
      stream: false,
      system: [{ type: 'text', text: 'You are a coding agent.' }],
      output_config: { effort: 'medium' },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Say hello' }] },
        {
          role: 'system',
          content: [
            {
              type: 'text',
              text: '# Environment\n - Primary working directory: /tmp/work',
              cache_control: { type: 'ephemeral' },
            },
          ],
          output_config: { effort: 'medium' },
        },
      ],
    });
    expect(message.stop_reason).toBe('end_turn');
    const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : []));
    // The answer is to the user's words, not to the system message's.
    expect(text.join('')).not.toContain('Environment');
  });

  it('needs no beta header: the GA client sends one after a user turn', async () => {
    const message = await client.messages.create({
      model: 'claude-opus-5-5',
      max_tokens: 64,
      messages: [
        { role: 'user', content: 'Say hello' },
        { role: 'system', content: 'Answer in one short sentence.' },
      ],
    });
    expect(message.role).toBe('assistant');
  });

  it('is read as an instruction: "always call get_weather" in a system message makes the reply a get_weather call', async () => {
    const question = { role: 'user' as const, content: 'Say hello to Paris' };
    const without = await create({ tools: [weatherTool], messages: [question] });
    expect(without.stop_reason).toBe('end_turn');
    const withInstruction = await create({
      tools: [weatherTool],
      messages: [
        question,
        { role: 'system', content: 'You must always call the get_weather tool before answering.' },
      ],
    });
    expect(withInstruction.stop_reason).toBe('tool_use');
    expect(withInstruction.content.find((block) => block.type === 'tool_use')).toMatchObject({
      name: 'get_weather',
    });
  });

  it('counts like the text it holds: the same text costs the same as a user text block', async () => {
    const asSystem = (text: string) =>
      client.beta.messages.countTokens({
        model,
        betas: claudeCodeBetas,
        messages: [
          { role: 'user', content: 'Say hello' },
          { role: 'system', content: text },
        ],
      });
    const asUserText = (text: string) =>
      client.beta.messages.countTokens({
        model,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Say hello' },
              { type: 'text', text },
            ],
          },
        ],
      });
    const long = 'Be brief and answer in French. '.repeat(100);
    const [systemShort, systemLong, userShort, userLong] = await Promise.all([
      asSystem('Be brief.'),
      asSystem(long),
      asUserText('Be brief.'),
      asUserText(long),
    ]);
    expect(systemLong.input_tokens - systemShort.input_tokens).toBeGreaterThan(500);
    expect(systemLong.input_tokens - systemShort.input_tokens).toBe(
      userLong.input_tokens - userShort.input_tokens,
    );
  });

  it('keeps the cached prefix: a system message appended after a cached turn reads it from cache', async () => {
    const history: Anthropic.Beta.BetaMessageParam[] = [
      {
        role: 'user',
        content: [
          {
            type: 'text',
            text: 'Here are the project notes. '.repeat(400),
            cache_control: { type: 'ephemeral' },
          },
        ],
      },
    ];
    const first = await create({ messages: history });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    const second = await create({
      messages: [...history, { role: 'system', content: 'From now on, answer in French.' }],
    });
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
  });

  it('an effort-only system message (empty content) may sit between an assistant and a user turn', async () => {
    const message = await client.beta.messages.create({
      model,
      max_tokens: 64,
      betas: ['mid-conversation-output-config-2026-07-01'],
      output_config: { effort: 'high' },
      messages: [
        { role: 'user', content: 'Plan a migration in three short steps.' },
        { role: 'assistant', content: '1. Export. 2. Create the schema. 3. Import.' },
        { role: 'system', content: [], output_config: { effort: 'low' } },
        { role: 'user', content: 'Summarize the plan in one sentence.' },
      ],
    });
    expect(message.role).toBe('assistant');
  });

  describe('refused with a 400', () => {
    const user = { role: 'user' as const, content: 'Say hello' };
    const system = { role: 'system' as const, content: 'Be brief.' };
    const assistant = { role: 'assistant' as const, content: 'Hello.' };

    it('on a model without them (Claude Sonnet 5)', () =>
      expect400(
        create({ model: 'claude-sonnet-5', messages: [user, system] }),
        'messages.1.role: system messages in `messages` are not supported by claude-sonnet-5; use the top-level `system` field',
      ));

    it('as the first message', () =>
      expect400(
        create({ messages: [system, user] }),
        /^messages\.0: a system message cannot be the first message/,
      ));

    it('after an assistant turn without a server tool use', () =>
      expect400(
        create({ messages: [user, assistant, system] }),
        'messages.2: a system message must immediately follow a user message or an assistant message ending in a server tool use',
      ));

    it('followed by a user turn', () =>
      expect400(
        create({ messages: [user, system, user] }),
        'messages.1: a system message must be the last message or be followed by an assistant message',
      ));

    it('next to another system message', () =>
      expect400(
        create({ messages: [user, system, system] }),
        'messages.1: system messages cannot be adjacent to another system message',
      ));

    it('with a block other than text', () =>
      expect400(
        create({
          messages: [
            user,
            {
              role: 'system',
              content: [
                { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } },
              ],
            } as unknown as Anthropic.Beta.BetaMessageParam,
          ],
        }),
        'messages.1.content.0: system messages can only contain `text` blocks, but found `document`',
      ));

    it('with neither content nor output_config', () =>
      expect400(
        create({ messages: [user, { role: 'system', content: [] }] }),
        'messages.1: a system message must have non-empty content or set `output_config`',
      ));

    it('with output_config but without a per-turn beta', () =>
      expect400(
        client.beta.messages.create({
          model,
          max_tokens: 64,
          messages: [user, { ...system, output_config: { effort: 'low' } }],
        }),
        'messages.1.output_config: `output_config` on a system message requires the `mid-conversation-output-config-2026-07-01` beta header',
      ));

    it('with clear_at but without its beta', () =>
      expect400(
        create({ messages: [user, { ...system, clear_at: 'next_user_message' }] }),
        'messages.1.clear_at: `clear_at` requires the `mid-conversation-system-clear-at-2026-08-21` beta header',
      ));

    it('with output_config on a user message', () =>
      expect400(
        create({
          messages: [
            { ...user, output_config: { effort: 'low' } } as Anthropic.Beta.BetaMessageParam,
          ],
        }),
        'messages.0.output_config: Extra inputs are not permitted',
      ));
  });
});

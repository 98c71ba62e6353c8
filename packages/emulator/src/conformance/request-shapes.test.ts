import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';
import { signThinking } from '../messages/thinking-signature.ts';

/**
 * The request shapes today's clients send (issue 12, item 3), through the official SDK over a
 * real socket: context editing applied and reported, adaptive thinking, effort, cache scope,
 * max_tokens 0, strict tools, structured-output schemas, and the conversation rules the API
 * enforces, each refused in the API's wording.
 */

let emulator: EmulatorHandle;
let client: Anthropic;

const contextBeta = 'context-management-2025-06-27';
const claudeCodeBetas = [contextBeta, 'effort-2025-11-24', 'prompt-caching-scope-2026-01-05'];

beforeAll(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey: 'shapes-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

/** The API error a call fails with (fails the test when the call succeeds). */
async function refusal(call: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Anthropic.APIError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

async function expect400(call: Promise<unknown>, message: string | RegExp): Promise<void> {
  const error = await refusal(call);
  expect(error.status, error.message).toBe(400);
  const body = error.error as { error?: { type?: string; message?: string } };
  expect(body.error?.type).toBe('invalid_request_error');
  if (typeof message === 'string') expect(body.error?.message).toBe(message);
  else expect(body.error?.message).toMatch(message);
}

const readTool = {
  name: 'read_file',
  description: 'Read a file from disk',
  input_schema: {
    type: 'object' as const,
    properties: { path: { type: 'string' } },
    required: ['path'],
    additionalProperties: false,
  },
};

/** A first user message, then `count` read_file calls and their (long) results. */
function toolLoop(count: number): Anthropic.Beta.BetaMessageParam[] {
  const messages: Anthropic.Beta.BetaMessageParam[] = [
    { role: 'user', content: 'Read the project files and summarise them.' },
  ];
  for (let index = 1; index <= count; index++) {
    const id = `toolu_${String(index).padStart(2, '0')}`;
    messages.push(
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id, name: 'read_file', input: { path: `src/file-${index}.ts` } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: id,
            content: `export const value${index} = ${index}; // a long file body\n`.repeat(40),
          },
        ],
      },
    );
  }
  return messages;
}

describe('context_management (beta context-management-2025-06-27)', () => {
  const clearToolUses = {
    edits: [
      {
        type: 'clear_tool_uses_20250919' as const,
        trigger: { type: 'input_tokens' as const, value: 500 },
        keep: { type: 'tool_uses' as const, value: 1 },
      },
    ],
  };

  it('clears old tool results before the model sees them, and reports what it cleared', async () => {
    const messages = toolLoop(4);
    const params = { model: 'claude-sonnet-4-6', tools: [readTool], messages };
    const full = await client.beta.messages.countTokens({ ...params, betas: [contextBeta] });
    const counted = await client.beta.messages.countTokens({
      ...params,
      context_management: clearToolUses,
      betas: [contextBeta],
    });
    // count_tokens counts the edited prompt and reports the original.
    expect(full.context_management).toBeUndefined();
    expect(counted.context_management).toEqual({ original_input_tokens: full.input_tokens });
    expect(counted.input_tokens).toBeLessThan(full.input_tokens);

    const message = await client.beta.messages.create({
      ...params,
      max_tokens: 300,
      context_management: clearToolUses,
      betas: [contextBeta],
    });
    expect(message.context_management).toEqual({
      applied_edits: [
        {
          type: 'clear_tool_uses_20250919',
          cleared_tool_uses: 3,
          cleared_input_tokens: full.input_tokens - counted.input_tokens,
        },
      ],
    });
    // The model was billed for (and saw) the edited conversation.
    expect(message.usage.input_tokens).toBe(counted.input_tokens);
  });

  it('answers from what is left: a cleared result is no longer there to quote', async () => {
    const messages: Anthropic.Beta.BetaMessageParam[] = [
      { role: 'user', content: 'What does src/config.ts say?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'src/config.ts' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: 'The port is 8080 and the host is example.internal.',
          },
        ],
      },
    ];
    const ask = {
      model: 'claude-sonnet-4-6',
      max_tokens: 300,
      tools: [readTool],
      messages,
      betas: [contextBeta],
    };
    const kept = await client.beta.messages.create(ask);
    expect(JSON.stringify(kept.content)).toContain('8080');
    const cleared = await client.beta.messages.create({
      ...ask,
      context_management: {
        edits: [
          {
            type: 'clear_tool_uses_20250919',
            trigger: { type: 'input_tokens', value: 1 },
            keep: { type: 'tool_uses', value: 0 },
          },
        ],
      },
    });
    expect(cleared.context_management?.applied_edits).toEqual([
      expect.objectContaining({ type: 'clear_tool_uses_20250919', cleared_tool_uses: 1 }),
    ]);
    expect(JSON.stringify(cleared.content)).not.toContain('8080');
  });

  it('reports the edits on message_delta when streaming', async () => {
    const stream = client.beta.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 300,
      tools: [readTool],
      messages: toolLoop(4),
      context_management: clearToolUses,
      betas: [contextBeta],
    });
    const deltas: unknown[] = [];
    const starts: unknown[] = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_delta') deltas.push(event.context_management);
      if (event.type === 'message_start') starts.push(event.message.context_management);
    });
    const final = await stream.finalMessage();
    expect(starts).toEqual([null]);
    expect(deltas).toEqual([final.context_management]);
    expect(final.context_management?.applied_edits).toEqual([
      expect.objectContaining({ type: 'clear_tool_uses_20250919', cleared_tool_uses: 3 }),
    ]);
  });

  it('answers an empty report when no edit had anything to clear', async () => {
    const message = await client.beta.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      tools: [readTool],
      messages: toolLoop(2),
      context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
      betas: [contextBeta],
    });
    expect(message.context_management).toEqual({ applied_edits: [] });
  });

  it('clears thinking from older turns under clear_thinking_20251015', async () => {
    const thought = (text: string) => ({
      type: 'thinking' as const,
      thinking: text,
      signature: signThinking(text),
    });
    const messages: Anthropic.Beta.BetaMessageParam[] = [
      { role: 'user', content: 'What is 2 + 2?' },
      {
        role: 'assistant',
        content: [
          thought('Simple arithmetic: 2 + 2 = 4. '.repeat(30)),
          { type: 'text', text: '4' },
        ],
      },
      { role: 'user', content: 'And 3 + 3?' },
      {
        role: 'assistant',
        content: [thought('Again arithmetic: 3 + 3 = 6. '.repeat(30)), { type: 'text', text: '6' }],
      },
      { role: 'user', content: 'And 4 + 4?' },
    ];
    const message = await client.beta.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages,
      context_management: { edits: [{ type: 'clear_thinking_20251015' }] },
      betas: [contextBeta],
    });
    expect(message.context_management?.applied_edits).toEqual([
      {
        type: 'clear_thinking_20251015',
        cleared_thinking_turns: 1,
        cleared_input_tokens: expect.any(Number),
      },
    ]);
    expect(message.context_management!.applied_edits[0]!.cleared_input_tokens).toBeGreaterThan(0);
  });

  it('is refused without its beta, and with clear_thinking misplaced or without thinking', async () => {
    const body = {
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [{ role: 'user' as const, content: 'Hi' }],
    };
    await expect400(
      client.beta.messages.create({
        ...body,
        context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
      }),
      'context_management: Extra inputs are not permitted',
    );
    await expect400(
      client.beta.messages.create({
        ...body,
        thinking: { type: 'adaptive' },
        context_management: {
          edits: [{ type: 'clear_tool_uses_20250919' }, { type: 'clear_thinking_20251015' }],
        },
        betas: [contextBeta],
      }),
      /^context_management\.edits\.1: clear_thinking_20251015 must be the first edit/,
    );
    await expect400(
      client.beta.messages.create({
        ...body,
        context_management: { edits: [{ type: 'clear_thinking_20251015' }] },
        betas: [contextBeta],
      }),
      /^context_management\.edits\.0: clear_thinking_20251015 requires `thinking`/,
    );
  });
});

describe('thinking, effort and tool choice per model', () => {
  const ask = { max_tokens: 2000, messages: [{ role: 'user' as const, content: 'Hello' }] };

  it('accepts adaptive thinking with each display, and the levels of effort the model has', async () => {
    for (const display of ['summarized', 'omitted', null] as const) {
      const message = await client.messages.create({
        ...ask,
        model: 'claude-opus-5-5',
        thinking: { type: 'adaptive', display },
        output_config: { effort: 'xhigh' },
      });
      expect(message.type).toBe('message');
      const thinking = message.content.find((block) => block.type === 'thinking');
      if (display === 'omitted' && thinking?.type === 'thinking')
        expect(thinking.thinking).toBe('');
    }
    await expect400(
      client.messages.create({
        ...ask,
        model: 'claude-sonnet-4-6',
        output_config: { effort: 'xhigh' },
      }),
      /^output_config\.effort: "xhigh" is not supported by claude-sonnet-4-6/,
    );
    await expect400(
      client.messages.create({
        ...ask,
        model: 'claude-haiku-4-5',
        output_config: { effort: 'low' },
      }),
      'This model does not support the effort parameter.',
    );
  });

  it('refuses manual thinking on adaptive-only models and disabling it where it is always on', async () => {
    await expect400(
      client.messages.create({
        ...ask,
        model: 'claude-opus-5-5',
        thinking: { type: 'enabled', budget_tokens: 1024 },
      }),
      '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
    );
    await expect400(
      client.messages.create({ ...ask, model: 'claude-fable-5-1', thinking: { type: 'disabled' } }),
      '"thinking.type.disabled" is not supported for this model. Thinking defaults to adaptive mode when not specified; use "thinking.type.enabled" with "budget_tokens" for extended thinking.',
    );
    // Sonnet 5.5 refuses "disabled" with a message that points to between_tools
    // (https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5).
    await expect400(
      client.messages.create({
        ...ask,
        model: 'claude-sonnet-5-5',
        thinking: { type: 'disabled' },
      }),
      /"thinking\.type\.disabled" is not supported for this model\. Use "thinking\.type\.between_tools"/,
    );
    await expect400(
      client.messages.create({ ...ask, model: 'claude-haiku-4-5', thinking: { type: 'adaptive' } }),
      'adaptive thinking is not supported on this model',
    );
  });

  it('refuses forced tool choice where the model does not take it', async () => {
    await expect400(
      client.messages.create({
        ...ask,
        model: 'claude-fable-5-1',
        tools: [readTool],
        tool_choice: { type: 'any' },
      }),
      'tool_choice: type "tool" and "any" are not supported for this model.',
    );
    const forced = await client.messages.create({
      ...ask,
      model: 'claude-haiku-4-5',
      tools: [readTool],
      tool_choice: { type: 'tool', name: 'read_file' },
    });
    expect(forced.stop_reason).toBe('tool_use');
  });
});

describe('cache scope, max_tokens 0, metadata and strict tools', () => {
  const scoped = [
    {
      type: 'text' as const,
      text: 'You are a careful assistant. '.repeat(200),
      cache_control: { type: 'ephemeral', scope: 'global' } as Anthropic.CacheControlEphemeral,
    },
  ];

  it('accepts cache_control.scope with its beta and refuses it without', async () => {
    const body = {
      model: 'claude-sonnet-4-6',
      max_tokens: 50,
      system: scoped,
      messages: [{ role: 'user' as const, content: 'Hi' }],
    };
    const message = await client.beta.messages.create({
      ...body,
      betas: ['prompt-caching-scope-2026-01-05'],
    });
    expect(message.type).toBe('message');
    await expect400(
      client.messages.create(body),
      'system.0.cache_control.scope: Extra inputs are not permitted',
    );
    // Markers nested in a tool result count too; a tool input that happens to say so does not.
    await expect400(
      client.messages.create({
        ...body,
        system: 'Be brief.',
        tools: [readTool],
        messages: [
          { role: 'user', content: 'Read a.ts' },
          {
            role: 'assistant',
            content: [
              {
                type: 'tool_use',
                id: 'toolu_s',
                name: 'read_file',
                input: { path: 'a.ts', cache_control: { scope: 'global' } },
              },
            ],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_s',
                content: [
                  { type: 'text', text: 'export {}', cache_control: scoped[0]!.cache_control },
                ],
              },
            ],
          },
        ],
      }),
      'messages.2.content.0.tool_result.content.0.text.cache_control.scope: Extra inputs are not permitted',
    );
  });

  it('pre-warms the cache with max_tokens 0: no content, no output, the prefix written', async () => {
    const body = {
      model: 'claude-sonnet-4-6',
      system: [
        {
          type: 'text' as const,
          text: 'Reference manual section. '.repeat(600),
          cache_control: { type: 'ephemeral' as const },
        },
      ],
      messages: [{ role: 'user' as const, content: 'Warm up' }],
    };
    const warm = await client.messages.create({ ...body, max_tokens: 0 });
    expect(warm.content).toEqual([]);
    expect(warm.stop_reason).toBe('max_tokens');
    expect(warm.usage.output_tokens).toBe(0);
    expect(warm.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    const next = await client.messages.create({ ...body, max_tokens: 50 });
    expect(next.usage.cache_read_input_tokens).toBe(warm.usage.cache_creation_input_tokens);

    const streamed = await client.messages.stream({ ...body, max_tokens: 0 }).finalMessage();
    expect(streamed.content).toEqual([]);
    expect(streamed.usage.output_tokens).toBe(0);
  });

  it('takes metadata.user_id and strict tools with a supported schema', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 200,
      metadata: { user_id: 'user_2f1c0b3e9d' },
      tools: [{ ...readTool, strict: true }],
      messages: [{ role: 'user', content: 'Read src/index.ts' }],
    });
    expect(message.type).toBe('message');
  });
});

describe('structured-output schemas (output_config.format and strict tools)', () => {
  const ask = {
    model: 'claude-sonnet-4-6',
    max_tokens: 300,
    messages: [{ role: 'user' as const, content: 'Describe a person.' }],
  };
  const format = (schema: Record<string, unknown>) => ({
    output_config: { format: { type: 'json_schema' as const, schema } },
  });

  it('refuses keywords outside the supported subset with the API wording', async () => {
    await expect400(
      client.messages.create({
        ...ask,
        ...format({ type: 'object', properties: { name: { type: 'string' } } }),
      }),
      "output_config.format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false",
    );
    await expect400(
      client.messages.create({
        ...ask,
        ...format({
          type: 'object',
          properties: { age: { type: 'integer', minimum: 0 } },
          additionalProperties: false,
        }),
      }),
      "output_config.format.schema: For 'integer' type, property 'minimum' is not supported",
    );
    await expect400(
      client.messages.create({
        ...ask,
        ...format({
          type: 'object',
          properties: { tags: { type: 'array', items: { type: 'string' }, minItems: 2 } },
          additionalProperties: false,
        }),
      }),
      "output_config.format.schema: For 'array' type, 'minItems' values other than 0 or 1 are not supported",
    );
    await expect400(
      client.messages.create({
        ...ask,
        tools: [
          {
            name: 'save',
            input_schema: {
              type: 'object',
              properties: { note: { type: 'string', maxLength: 10 } },
              additionalProperties: false,
            },
            strict: true,
          },
        ],
      }),
      "tools.0.custom.input_schema: For 'string' type, property 'maxLength' is not supported",
    );
  });

  it('accepts the supported subset: nested objects, enums, anyOf, $defs, formats, minItems 1', async () => {
    const message = await client.messages.create({
      ...ask,
      ...format({
        type: 'object',
        properties: {
          name: { type: 'string' },
          born: { type: 'string', format: 'date' },
          role: { enum: ['admin', 'user'] },
          tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
          address: { $ref: '#/$defs/address' },
          nickname: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        },
        required: ['name', 'born', 'role', 'tags', 'address', 'nickname'],
        additionalProperties: false,
        $defs: {
          address: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          },
        },
      }),
    });
    expect(message.content[0]?.type).toBe('text');
  });

  it('refuses citations together with structured outputs', async () => {
    await expect400(
      client.messages.create({
        ...ask,
        ...format({ type: 'object', properties: {}, additionalProperties: false }),
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'document',
                source: { type: 'text', media_type: 'text/plain', data: 'The sky is blue.' },
                citations: { enabled: true },
              },
              { type: 'text', text: 'What colour is the sky?' },
            ],
          },
        ],
      }),
      /Citations are not supported together with structured outputs/,
    );
  });
});

describe('conversation rules', () => {
  const base = { max_tokens: 2000, tools: [readTool] };
  const call: Anthropic.MessageParam = {
    role: 'assistant',
    content: [{ type: 'tool_use', id: 'toolu_a', name: 'read_file', input: { path: 'a.ts' } }],
  };

  it('wants tool_result blocks first in the user turn that answers', async () => {
    await expect400(
      client.messages.create({
        ...base,
        model: 'claude-sonnet-4-6',
        messages: [
          { role: 'user', content: 'Read a.ts' },
          call,
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Here it is:' },
              { type: 'tool_result', tool_use_id: 'toolu_a', content: 'export {}' },
            ],
          },
        ],
      }),
      /^messages\.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_a/,
    );
    const ok = await client.messages.create({
      ...base,
      model: 'claude-sonnet-4-6',
      messages: [
        { role: 'user', content: 'Read a.ts' },
        call,
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_a', content: 'export {}' },
            { type: 'text', text: 'Summarise it.' },
          ],
        },
      ],
    });
    expect(ok.type).toBe('message');
  });

  it('wants the thinking kept on the assistant turn of a tool loop under manual thinking', async () => {
    const loop = (assistant: Anthropic.MessageParam): Anthropic.MessageParam[] => [
      { role: 'user', content: 'Read a.ts' },
      assistant,
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'x' }] },
    ];
    await expect400(
      client.messages.create({
        ...base,
        model: 'claude-sonnet-4-6',
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: loop(call),
      }),
      'messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking',
    );
    const text = 'I should read the file.';
    const kept = await client.messages.create({
      ...base,
      model: 'claude-sonnet-4-6',
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: loop({
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: text, signature: signThinking(text) },
          ...(call.content as Anthropic.ContentBlockParam[]),
        ],
      }),
    });
    expect(kept.type).toBe('message');
    // Adaptive thinking may skip thinking on a turn, so the same loop without it is fine.
    const adaptive = await client.messages.create({
      ...base,
      model: 'claude-sonnet-4-6',
      thinking: { type: 'adaptive' },
      messages: loop(call),
    });
    expect(adaptive.type).toBe('message');
  });

  it('takes a prefill only on models that accept one', async () => {
    const messages: Anthropic.MessageParam[] = [
      { role: 'user', content: 'Give me JSON' },
      { role: 'assistant', content: '{' },
    ];
    await expect400(
      client.messages.create({ max_tokens: 100, model: 'claude-opus-5-5', messages }),
      'This model does not support assistant message prefill. The conversation must end with a user message.',
    );
    const prefilled = await client.messages.create({
      max_tokens: 100,
      model: 'claude-haiku-4-5',
      messages,
    });
    expect(prefilled.type).toBe('message');
    await expect400(
      client.messages.create({
        max_tokens: 100,
        model: 'claude-haiku-4-5',
        messages: [
          { role: 'user', content: 'Hi' },
          {
            role: 'assistant',
            content: [{ type: 'thinking', thinking: 'hm', signature: signThinking('hm') }],
          },
        ],
      }),
      /^messages\.1\.content\.0: When thinking is disabled, an `assistant` message in the final position cannot contain `thinking`/,
    );
  });
});

describe('a Claude-Code-shaped first request', () => {
  it('gets a 200 with every shape Claude Code sends', async () => {
    const request = {
      model: 'claude-opus-5-5',
      max_tokens: 32000,
      betas: claudeCodeBetas,
      system: [
        {
          type: 'text' as const,
          text: "You are Claude Code, Anthropic's official CLI for Claude.",
        },
        {
          type: 'text' as const,
          text: 'You are an interactive agent that helps users with software engineering tasks. '.repeat(
            40,
          ),
          cache_control: {
            type: 'ephemeral',
            scope: 'global',
          } as Anthropic.Beta.BetaCacheControlEphemeral,
        },
      ],
      messages: [
        {
          role: 'user' as const,
          content: [
            {
              type: 'text' as const,
              text: 'Say hello in one word.',
              cache_control: { type: 'ephemeral' as const },
            },
          ],
        },
      ],
      tools: [{ ...readTool, name: 'Read', strict: true }],
      thinking: { type: 'adaptive' as const },
      output_config: { effort: 'high' as const },
      context_management: {
        edits: [{ type: 'clear_thinking_20251015' as const, keep: 'all' as const }],
      },
      metadata: { user_id: 'user_0f3a_account_7c2e_session_91b4d2' },
    };
    const streamed = await client.beta.messages.stream(request).withResponse();
    expect(streamed.response.status).toBe(200);
    const message = await streamed.data.finalMessage();
    expect(message.role).toBe('assistant');
    expect(message.context_management).toEqual({ applied_edits: [] });
    expect(message.usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });
});

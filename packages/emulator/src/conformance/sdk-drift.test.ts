import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';
import {
  contentBlockSchema,
  countTokensRequestSchema,
  documentSourceSchema,
  imageSourceSchema,
  messageParamSchema,
  messageRequestSchema,
  thinkingConfigSchema,
  toolChoiceSchema,
  toolResultBlockSchema,
  toolSchema,
} from '../messages/request-schema.ts';
import {
  emulatorSurface,
  namesWithStatus,
  type SurfaceCategory,
} from '../surface/emulator-surface.ts';
import { unsupportedPhrase } from '../surface/reject-unsupported.ts';
import { postRaw } from './post-raw.ts';
import { readSdkSurfaces, type SdkSurface, type SdkSurfaces } from './read-sdk-surface.ts';

/**
 * The drift guard. When `@anthropic-ai/sdk` is upgraded and knows a request field, role, content
 * block, tool, stop reason, stream event or delta that the emulator's surface manifest does not
 * list, this fails and names what the emulator must learn. It also proves the manifest honest
 * against the emulator itself: `supported` request items are what the request schema accepts,
 * `rejected` ones get the clear 400 over a real socket, and `supported` response items are what
 * the emulator's response types and streams really produce.
 */

const manifestPath = 'packages/emulator/src/surface/emulator-surface.ts';
const model = 'claude-sonnet-4-6';
const categories = Object.keys(emulatorSurface).filter(
  (key): key is SurfaceCategory => key !== 'clientSideParameters',
);

let sdk: SdkSurfaces;
let emulator: EmulatorHandle;

beforeAll(async () => {
  sdk = readSdkSurfaces();
  emulator = await startEmulator({
    scenarios: [
      {
        name: 'every-delta',
        match: { userContains: ['zz-every-delta-zz'] },
        replies: [
          {
            content: [
              { type: 'thinking', thinking: 'Looking it up.' },
              {
                type: 'text',
                text: 'The grass is green.',
                citations: [
                  {
                    type: 'char_location',
                    cited_text: 'The grass is green.',
                    document_index: 0,
                    document_title: null,
                    start_char_index: 0,
                    end_char_index: 19,
                  },
                ],
              },
              { type: 'tool_use', name: 'lookup', input: { query: 'grass' } },
            ],
          },
        ],
      },
    ],
  });
}, 60_000);
afterAll(() => emulator?.close());

const sdkNames = (surface: SdkSurface, category: SurfaceCategory): string[] => surface[category];

describe(`the emulator knows everything the installed @anthropic-ai/sdk knows`, () => {
  for (const category of categories) {
    it(`${category}`, () => {
      const known = new Set([
        ...Object.keys(emulatorSurface[category]),
        ...(category === 'requestFields' ? emulatorSurface.clientSideParameters : []),
      ]);
      const missing = (surface: SdkSurface) =>
        sdkNames(surface, category).filter((name) => !known.has(name));
      const gaMissing = missing(sdk.ga);
      const betaMissing = missing(sdk.beta).filter((name) => !gaMissing.includes(name));
      expect(
        { ga: gaMissing, beta: betaMissing },
        `@anthropic-ai/sdk ${sdk.ga.version} knows ${category} the emulator does not: ` +
          `${[...gaMissing, ...betaMissing.map((name) => `${name} (beta)`)].join(', ')}. ` +
          `Teach the emulator each one, or list it as rejected with a note, in ${manifestPath}.`,
      ).toEqual({ ga: [], beta: [] });
    });
  }
});

describe('the manifest is honest about requests', () => {
  it('marks supported exactly the fields the request schema accepts', () => {
    // A rejected field may stay in the schema only to accept an explicit null ("not set").
    const rejected = new Set(namesWithStatus('requestFields', 'rejected'));
    const schemaFields = Object.keys(messageRequestSchema.shape).filter(
      (field) => !rejected.has(field),
    );
    expect(namesWithStatus('requestFields', 'supported').sort()).toEqual(schemaFields.sort());
  });

  it('takes an explicit null for a rejected field as "not set", as the real API does', async () => {
    const body = {
      model,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
      container: null,
    };
    const answer = await postRaw({ url: emulator.url, body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });

  it('marks supported exactly the content block types the request schema accepts', () => {
    const schemaTypes = contentBlockSchema.options
      .map((option) => String(option.shape.type.value))
      .sort();
    expect(namesWithStatus('contentBlockParams', 'supported').sort()).toEqual(schemaTypes);
  });

  it('parses a sample of every supported content block type', () => {
    const samples: Record<string, unknown> = {
      text: { type: 'text', text: 'hi' },
      image: {
        type: 'image',
        source: { type: 'url', url: 'https://example.com/cat.png' },
      },
      document: {
        type: 'document',
        source: { type: 'text', media_type: 'text/plain', data: 'The grass is green.' },
      },
      search_result: {
        type: 'search_result',
        source: 'https://example.com',
        title: 'Grass',
        content: [{ type: 'text', text: 'The grass is green.' }],
      },
      tool_use: { type: 'tool_use', id: 'toolu_01', name: 'lookup', input: {} },
      tool_result: { type: 'tool_result', tool_use_id: 'toolu_01', content: 'green' },
      thinking: { type: 'thinking', thinking: 'hmm', signature: 'sig' },
      redacted_thinking: { type: 'redacted_thinking', data: 'opaque' },
    };
    for (const type of namesWithStatus('contentBlockParams', 'supported')) {
      expect(samples[type], `add a sample ${type} block to this test`).toBeDefined();
      expect(contentBlockSchema.safeParse(samples[type]).success, type).toBe(true);
    }
  });

  it('parses every supported block type inside a tool_result', () => {
    const samples: Record<string, unknown> = {
      text: { type: 'text', text: 'green' },
      image: { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
      document: {
        type: 'document',
        source: { type: 'text', media_type: 'text/plain', data: 'The grass is green.' },
      },
      search_result: {
        type: 'search_result',
        source: 'https://example.com',
        title: 'Grass',
        content: [{ type: 'text', text: 'The grass is green.' }],
      },
    };
    for (const type of namesWithStatus('toolResultContent', 'supported')) {
      expect(samples[type], `add a sample ${type} block to this test`).toBeDefined();
      const block = { type: 'tool_result', tool_use_id: 'toolu_01', content: [samples[type]] };
      expect(toolResultBlockSchema.safeParse(block).success, type).toBe(true);
    }
  });

  it('marks supported exactly the image and document source types the request schema accepts', () => {
    const tags = (schema: { options: ReadonlyArray<{ shape: { type: { value: unknown } } }> }) =>
      schema.options.map((option) => String(option.shape.type.value)).sort();
    expect(namesWithStatus('imageSources', 'supported').sort()).toEqual(tags(imageSourceSchema));
    expect(namesWithStatus('documentSources', 'supported').sort()).toEqual(
      tags(documentSourceSchema),
    );
  });

  it('marks supported exactly the thinking and tool_choice types the request schema accepts', () => {
    const tags = (schema: { options: ReadonlyArray<{ shape: { type: { value: unknown } } }> }) =>
      schema.options.map((option) => String(option.shape.type.value)).sort();
    expect(namesWithStatus('thinkingTypes', 'supported').sort()).toEqual(
      tags(thinkingConfigSchema),
    );
    expect(namesWithStatus('toolChoiceTypes', 'supported').sort()).toEqual(tags(toolChoiceSchema));
  });

  it('accepts a custom tool carrying every supported tool field', () => {
    const samples: Record<string, unknown> = {
      name: 'lookup',
      description: 'Looks a word up.',
      input_schema: { type: 'object', properties: { word: { type: 'string' } } },
      type: 'custom',
      strict: true,
      cache_control: { type: 'ephemeral' },
      defer_loading: false,
      allowed_callers: ['direct'],
      eager_input_streaming: true,
      input_examples: [{ word: 'grass' }],
    };
    const tool: Record<string, unknown> = {};
    for (const field of namesWithStatus('toolFields', 'supported')) {
      expect(samples[field], `add a sample ${field} to this test`).toBeDefined();
      tool[field] = samples[field];
    }
    expect(toolSchema.safeParse(tool).success).toBe(true);
  });

  it('accepts on count_tokens every supported field the SDK sends there', () => {
    const countFields = new Set(Object.keys(countTokensRequestSchema.shape));
    const refused = [
      ...new Set([...sdk.ga.countTokensFields, ...sdk.beta.countTokensFields]),
    ].filter(
      (field) =>
        !emulatorSurface.clientSideParameters.includes(field) &&
        namesWithStatus('requestFields', 'rejected').indexOf(field) === -1 &&
        !countFields.has(field),
    );
    expect(
      refused,
      `@anthropic-ai/sdk ${sdk.ga.version} sends these to count_tokens; the count_tokens schema must accept them`,
    ).toEqual([]);
  });

  it('marks supported exactly the message roles the request schema accepts', () => {
    const accepts = (role: string) => messageParamSchema.safeParse({ role, content: 'hi' }).success;
    for (const role of Object.keys(emulatorSurface.messageRoles)) {
      expect(accepts(role), role).toBe(
        emulatorSurface.messageRoles[role as 'user'].status === 'supported',
      );
    }
  });

  it('answers a custom tool, typed or not, with a 200', async () => {
    const tool = { name: 'lookup', input_schema: { type: 'object' } };
    for (const definition of [tool, { ...tool, type: 'custom' }]) {
      const answer = await postRaw({
        url: emulator.url,
        body: {
          model,
          max_tokens: 64,
          tools: [definition],
          messages: [{ role: 'user', content: 'hi' }],
        },
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
  });
});

/** Expects the clear refusal: a 400 naming the path and saying the emulator does not support it. */
function expectClearRefusal(
  answer: { status: number; body: { error?: { type: string; message: string } } },
  path: string,
) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.error?.type).toBe('invalid_request_error');
  expect(answer.body.error?.message).toContain(path);
  expect(answer.body.error?.message).toContain(unsupportedPhrase);
}

describe('every rejected request item gets a clear 400 over a real socket', () => {
  it('holds rejected entries only in categories reject-unsupported.ts refuses by name', () => {
    const refusedByName = [
      'requestFields',
      'messageRoles',
      'contentBlockParams',
      'toolResultContent',
      'thinkingTypes',
      'toolTypes',
    ];
    const responseSide = ['responseBlocks', 'stopReasons', 'streamEvents', 'deltaTypes'];
    for (const category of categories) {
      if (refusedByName.includes(category) || responseSide.includes(category)) continue;
      expect(
        namesWithStatus(category, 'rejected'),
        `${category} needs a refusal in reject-unsupported.ts first`,
      ).toEqual([]);
    }
  });

  const user = { role: 'user', content: 'hi' };

  it.each(namesWithStatus('requestFields', 'rejected'))('field %s', async (field) => {
    const body = { model, max_tokens: 64, messages: [user], [field]: {} };
    expectClearRefusal(await postRaw({ url: emulator.url, body }), `${field}:`);
    const counted = await postRaw({
      url: emulator.url,
      path: '/v1/messages/count_tokens',
      body: { model, messages: [user], [field]: {} },
    });
    expectClearRefusal(counted, `${field}:`);
  });

  it.each(namesWithStatus('messageRoles', 'rejected'))('role %s', async (role) => {
    const body = { model, max_tokens: 64, messages: [user, { role, content: 'Answer briefly.' }] };
    expectClearRefusal(await postRaw({ url: emulator.url, body }), 'messages.1.role:');
  });

  it.each(namesWithStatus('contentBlockParams', 'rejected'))('content block %s', async (type) => {
    const body = {
      model,
      max_tokens: 64,
      messages: [
        user,
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Working.' },
            { type, id: 'srvtoolu_01' },
          ],
        },
        user,
      ],
    };
    expectClearRefusal(await postRaw({ url: emulator.url, body }), 'messages.1.content.1.type:');
  });

  it.each(namesWithStatus('toolResultContent', 'rejected'))(
    'block %s inside a tool_result',
    async (type) => {
      const body = {
        model,
        max_tokens: 64,
        tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
        messages: [
          user,
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_01', name: 'lookup', input: {} }],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: [{ type }] }],
          },
        ],
      };
      expectClearRefusal(
        await postRaw({ url: emulator.url, body }),
        'messages.2.content.0.content.0.type:',
      );
    },
  );

  it.each(namesWithStatus('thinkingTypes', 'rejected'))('thinking %s', async (type) => {
    const body = { model, max_tokens: 2048, messages: [user], thinking: { type } };
    expectClearRefusal(await postRaw({ url: emulator.url, body }), 'thinking.type:');
  });

  it.each(namesWithStatus('toolTypes', 'rejected'))('tool %s', async (type) => {
    // The shape the SDK sends for an Anthropic-defined tool: a type and a name, no input_schema.
    const body = { model, max_tokens: 64, messages: [user], tools: [{ type, name: 'builtin' }] };
    expectClearRefusal(await postRaw({ url: emulator.url, body }), 'tools.0.type:');
  });
});

/** The string literals of `typeName` (a union of literals, or of objects with a `type` literal). */
function literalsOf(file: string, typeName: string): string[] {
  const program = ts.createProgram([file], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const symbol = checker.getExportsOfModule(moduleSymbol).find((each) => each.name === typeName);
  if (!symbol) throw new Error(`${file} no longer exports ${typeName}`);
  const type = checker.getDeclaredTypeOfSymbol(symbol);
  const members = type.isUnion() ? type.types : [type];
  return members
    .flatMap((member) => {
      if (member.isStringLiteral()) return [member.value];
      const property = checker.getPropertyOfType(member, 'type');
      const literal = property && checker.getTypeOfSymbol(property);
      return literal?.isStringLiteral() ? [literal.value] : [];
    })
    .sort();
}

describe('the manifest is honest about responses', () => {
  const responseTypes = fileURLToPath(new URL('../messages/response-types.ts', import.meta.url));

  it('marks supported exactly the blocks the emulator answers with', () => {
    expect(namesWithStatus('responseBlocks', 'supported').sort()).toEqual(
      literalsOf(responseTypes, 'OutputBlock'),
    );
  });

  it('marks supported exactly the stop reasons the emulator answers with', () => {
    expect(namesWithStatus('stopReasons', 'supported').sort()).toEqual(
      literalsOf(responseTypes, 'StopReason'),
    );
  });

  it('streams every supported event and delta type', async () => {
    const response = await fetch(`${emulator.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'conformance-key',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({
        model,
        max_tokens: 2048,
        stream: true,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
        messages: [{ role: 'user', content: 'zz-every-delta-zz' }],
      }),
    });
    expect(response.status).toBe(200);
    const events = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as { type: string; delta?: { type: string } });
    const eventTypes = new Set(events.map((event) => event.type));
    const deltaTypes = new Set(
      events.flatMap((event) =>
        event.type === 'content_block_delta' && event.delta ? [event.delta.type] : [],
      ),
    );
    for (const type of namesWithStatus('streamEvents', 'supported'))
      expect(eventTypes.has(type), type).toBe(true);
    for (const type of namesWithStatus('deltaTypes', 'supported'))
      expect(deltaTypes.has(type), type).toBe(true);
  });
});

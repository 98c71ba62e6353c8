import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';

/**
 * `anthropic-version` over a real socket: the official SDK (1.12 sends 2026-10-21 with
 * `Authorization: Bearer`) and raw HTTP for 2023-06-01. Rules from
 * https://platform.claude.com/docs/en/api/versioning and
 * https://platform.claude.com/docs/en/api/migration-2026-10-21.
 */

let emulator: EmulatorHandle;
let client: Anthropic;
const model = 'claude-sonnet-4-6'; // samplingParameters: 'any'
const defaultsOnlyModel = 'claude-opus-5-5'; // samplingParameters: 'defaults-only'
const key = 'version-key';

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [key] });
  client = new Anthropic({ apiKey: key, baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

interface Answer {
  status: number;
  body: { type?: string; error?: { type: string; message: string } } & Record<string, unknown>;
}

async function post(
  body: unknown,
  options: { version?: string | null; path?: string } = {},
): Promise<Answer> {
  const version = options.version === undefined ? '2023-06-01' : options.version;
  const response = await fetch(`${emulator.url}${options.path ?? '/v1/messages'}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': key,
      ...(version === null ? {} : { 'anthropic-version': version }),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

async function sdkFailure(
  promise: Promise<unknown>,
): Promise<InstanceType<typeof Anthropic.APIError>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Anthropic.APIError))
    throw new Error(`expected an APIError, got ${String(error)}`);
  return error;
}

const ask = { model, max_tokens: 20, messages: [{ role: 'user' as const, content: 'Hello' }] };

const documentInAssistant = [
  { role: 'user', content: 'Summarize the notes.' },
  {
    role: 'assistant',
    content: [
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Notes.' } },
    ],
  },
  { role: 'user', content: 'Go on.' },
];

const citedUserText = [
  {
    role: 'user',
    content: [
      {
        type: 'text',
        text: 'As the notes say, the sky is blue.',
        citations: [
          {
            type: 'char_location',
            cited_text: 'the sky is blue',
            document_index: 0,
            document_title: null,
            start_char_index: 0,
            end_char_index: 15,
          },
        ],
      },
    ],
  },
];

describe('the anthropic-version header', () => {
  it('is required: a request without it is a 400 in the real wording', async () => {
    const answer = await post(ask, { version: null });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
    });
    expect(answer.body.request_id).toMatch(/^req_/);
  });

  it('refuses versions the API does not serve, naming the value', async () => {
    for (const version of ['banana', '2024-10-22', '2023-01-01', '2023-06-01, 2023-06-01']) {
      const answer = await post(ask, { version });
      expect(answer.status, version).toBe(400);
      expect(answer.body.error).toEqual({
        type: 'invalid_request_error',
        message: `anthropic-version: ${JSON.stringify(version)} is not a valid version`,
      });
    }
  });

  it('is checked on every API route, not only Messages', async () => {
    const models = await fetch(`${emulator.url}/v1/models`, {
      headers: { 'x-api-key': key, 'anthropic-version': 'banana' },
    });
    expect(models.status).toBe(400);
    const listed = await fetch(`${emulator.url}/v1/models`, {
      headers: { 'x-api-key': key, 'anthropic-version': '2026-10-21' },
    });
    expect(listed.status).toBe(200);
  });
});

describe('2026-10-21, as the official SDK sends it', () => {
  it('answers plain requests', async () => {
    const message = await client.messages.create(ask);
    expect(message.type).toBe('message');
  });

  it('rejects temperature, top_p and top_k even at their default values', async () => {
    const cases: Array<[string, number]> = [
      ['temperature', 1],
      ['temperature', 0.2],
      ['top_p', 1],
      ['top_k', 5],
    ];
    for (const [name, value] of cases) {
      // The SDK's 1.x types have no sampling parameters; real code still sends them untyped.
      const error = await sdkFailure(
        client.messages.create({
          ...ask,
          [name]: value,
        } as Anthropic.MessageCreateParamsNonStreaming),
      );
      expect(error, `${name}=${value}`).toBeInstanceOf(Anthropic.BadRequestError);
      expect(error.error).toMatchObject({
        type: 'error',
        error: {
          type: 'invalid_request_error',
          message: `${name}: Extra inputs are not permitted`,
        },
      });
    }
  });

  it('rejects a document block placed directly in an assistant message', async () => {
    const error = await sdkFailure(
      client.messages.create({
        ...ask,
        messages: documentInAssistant as Anthropic.MessageParam[],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.message).toContain('messages.1.content.0: document blocks are not accepted');
  });

  it('rejects non-empty citations on user text, and accepts empty ones', async () => {
    const error = await sdkFailure(
      client.messages.create({ ...ask, messages: citedUserText as Anthropic.MessageParam[] }),
    );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.message).toContain(
      'messages.0.content.0.text.citations: citations are not accepted on text blocks in user messages',
    );
    const cleared = [{ role: 'user', content: [{ type: 'text', text: 'Hi', citations: [] }] }];
    const message = await client.messages.create({
      ...ask,
      messages: cleared as Anthropic.MessageParam[],
    });
    expect(message.type).toBe('message');
  });

  it('rejects citations inside a search_result block of a user message', async () => {
    const messages = [
      {
        role: 'user',
        content: [
          {
            type: 'search_result',
            source: 'https://example.com',
            title: 'Sky',
            content: [
              { type: 'text', text: 'Blue.', citations: citedUserText[0]!.content[0]!.citations },
            ],
          },
          { type: 'text', text: 'What colour is the sky?' },
        ],
      },
    ];
    const error = await sdkFailure(
      client.messages.create({ ...ask, messages: messages as Anthropic.MessageParam[] }),
    );
    expect(error.message).toContain('messages.0.content.0.search_result.content.0.citations:');
  });

  it('applies the same rules to count_tokens', async () => {
    const error = await sdkFailure(
      client.messages.countTokens({
        model,
        messages: documentInAssistant as Anthropic.MessageParam[],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.message).toContain('document blocks are not accepted in assistant messages');
  });
});

describe('2023-06-01 keeps the old rules', () => {
  it('accepts sampling parameters, assistant documents and cited user text', async () => {
    for (const body of [
      { ...ask, temperature: 0.2, top_k: 5 },
      { ...ask, messages: documentInAssistant },
      { ...ask, messages: citedUserText },
    ]) {
      const answer = await post(body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
  });

  it('still applies a defaults-only model’s rule: non-default sampling values are refused', async () => {
    const refused = await post({ ...ask, model: defaultsOnlyModel, temperature: 0.2 });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({
      type: 'invalid_request_error',
      message: '`temperature` is deprecated for this model.',
    });
    const topK = await post({ ...ask, model: defaultsOnlyModel, top_k: 40 });
    expect(topK.body.error?.message).toBe('`top_k` is deprecated for this model.');
    const defaults = await post({ ...ask, model: defaultsOnlyModel, temperature: 1 });
    expect(defaults.status, JSON.stringify(defaults.body)).toBe(200);
  });

  it('lets the SDK opt back into 2023-06-01 with a header', async () => {
    const message = await client.messages.create(
      { ...ask, temperature: 0.3 } as Anthropic.MessageCreateParamsNonStreaming,
      { headers: { 'anthropic-version': '2023-06-01' } },
    );
    expect(message.type).toBe('message');
  });
});

describe('Message Batches follow the version of the create call', () => {
  async function resultsOf(
    version: string,
  ): Promise<
    Array<{ custom_id: string; result: { type: string; error?: { error: { message: string } } } }>
  > {
    const created = await client.messages.batches.create(
      {
        requests: [
          {
            custom_id: 'sampled',
            params: { ...ask, temperature: 0.2 } as Anthropic.MessageCreateParamsNonStreaming,
          },
          { custom_id: 'plain', params: ask },
        ],
      },
      { headers: { 'anthropic-version': version } },
    );
    let batch = created;
    for (let attempt = 0; attempt < 200 && batch.processing_status !== 'ended'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      batch = await client.messages.batches.retrieve(created.id);
    }
    expect(batch.processing_status).toBe('ended');
    const lines = [];
    for await (const line of await client.messages.batches.results(created.id)) lines.push(line);
    return lines;
  }

  it('errors an item with temperature in a batch created with 2026-10-21', async () => {
    const lines = await resultsOf('2026-10-21');
    const sampled = lines.find((line) => line.custom_id === 'sampled')!;
    expect(sampled.result.type).toBe('errored');
    expect(sampled.result.error?.error.message).toBe('temperature: Extra inputs are not permitted');
    expect(lines.find((line) => line.custom_id === 'plain')!.result.type).toBe('succeeded');
  });

  it('runs the same item in a batch created with 2023-06-01', async () => {
    const lines = await resultsOf('2023-06-01');
    expect(lines.map((line) => line.result.type)).toEqual(['succeeded', 'succeeded']);
  });
});

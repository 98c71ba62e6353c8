import { defaultModelCatalog } from '@keel/models';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { countTextTokens } from '../messages/tokenizer.ts';
import { messageRequestSchema, type MessageRequest } from '../messages/request-schema.ts';
import { testImages } from '../messages/test-images.ts';
import { defaultResponder } from './default-responder.ts';
import { testPdf } from './test-pdf.ts';
import type { Reply, ReplyBlock } from './reply.ts';

const model = defaultModelCatalog().find('claude-sonnet-4-6')!;

function respond(body: Record<string, unknown>): Reply {
  const request: MessageRequest = messageRequestSchema.parse({
    model: 'claude-sonnet-4-6',
    max_tokens: 2000,
    ...body,
  });
  return defaultResponder(request, { model });
}

function textOf(reply: Reply): string {
  return reply.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
}

function toolCalls(reply: Reply): Array<{ name: string; input: Record<string, unknown> }> {
  return reply.blocks.flatMap((b) =>
    b.type === 'tool_use' ? [{ name: b.name, input: b.input }] : [],
  );
}

const weatherTools = [
  {
    name: 'get_weather',
    description: 'Get the current weather for a city',
    input_schema: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city'],
    },
  },
  {
    name: 'getLocalTime',
    description: 'Get the local time in a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
  {
    name: 'cancel_order',
    description: 'Cancel an order',
    input_schema: {
      type: 'object',
      properties: { order_id: { type: 'string' } },
      required: ['order_id'],
    },
  },
  {
    name: 'get_order_status',
    description: 'Look up the status of an order',
    input_schema: {
      type: 'object',
      properties: { order_id: { type: 'string' }, email: { type: 'string', format: 'email' } },
      required: ['order_id'],
      additionalProperties: false,
    },
  },
];

describe('tool use', () => {
  it('calls the tool whose name fits, with arguments from the message, after a short sentence', () => {
    const reply = respond({
      tools: weatherTools,
      messages: [{ role: 'user', content: "What's the weather in Lisbon in fahrenheit?" }],
    });
    expect(reply.blocks[0]?.type).toBe('text');
    expect(toolCalls(reply)).toEqual([
      { name: 'get_weather', input: { city: 'Lisbon', unit: 'fahrenheit' } },
    ]);
  });

  it('calls several tools in parallel, each with its own arguments (camelCase names split)', () => {
    const reply = respond({
      tools: weatherTools,
      messages: [
        { role: 'user', content: 'What is the weather in Paris and the local time in Tokyo?' },
      ],
    });
    expect(toolCalls(reply)).toEqual([
      { name: 'get_weather', input: { city: 'Paris' } },
      { name: 'getLocalTime', input: { city: 'Tokyo' } },
    ]);
  });

  it('prefers the harmless tool on a tie and the asked-for action otherwise', () => {
    const lookup = respond({
      tools: weatherTools,
      messages: [{ role: 'user', content: 'Where is my order #4521?' }],
    });
    expect(toolCalls(lookup)).toEqual([{ name: 'get_order_status', input: { order_id: '4521' } }]);
    const cancel = respond({
      tools: weatherTools,
      messages: [{ role: 'user', content: 'Cancel order ORD-77 please' }],
    });
    expect(toolCalls(cancel)).toEqual([{ name: 'cancel_order', input: { order_id: 'ORD-77' } }]);
  });

  it('answers in prose when no tool fits and tool_choice is auto', () => {
    const reply = respond({ tools: weatherTools, messages: [{ role: 'user', content: 'Hello!' }] });
    expect(toolCalls(reply)).toEqual([]);
    expect(textOf(reply)).toMatch(/help/i);
  });

  it('obeys disable_parallel_tool_use, any, tool and none', () => {
    const messages = [
      { role: 'user', content: 'What is the weather in Paris and the local time in Tokyo?' },
    ];
    const single = respond({
      tools: weatherTools,
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      messages,
    });
    expect(toolCalls(single).map((c) => c.name)).toEqual(['getLocalTime']);

    const any = respond({
      tools: weatherTools,
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(toolCalls(any)).toHaveLength(1);
    expect(any.blocks.every((b) => b.type === 'tool_use')).toBe(true);

    const forced = respond({
      tools: weatherTools,
      tool_choice: { type: 'tool', name: 'cancel_order' },
      messages,
    });
    expect(forced.blocks).toEqual([
      { type: 'tool_use', name: 'cancel_order', input: { order_id: 'unknown' } },
    ]);

    const none = respond({ tools: weatherTools, tool_choice: { type: 'none' }, messages });
    expect(toolCalls(none)).toEqual([]);
  });

  it('calls one tool once per listed value, but not for unrelated names', () => {
    const cities = respond({
      tools: weatherTools,
      messages: [{ role: 'user', content: 'Compare the weather in Paris, Rome and Oslo' }],
    });
    expect(toolCalls(cities).map((c) => c.input.city)).toEqual(['Paris', 'Rome', 'Oslo']);
    const orders = respond({
      tools: weatherTools,
      messages: [{ role: 'user', content: 'Where are my orders ORD-1 and ORD-2?' }],
    });
    expect(toolCalls(orders)).toEqual([
      { name: 'get_order_status', input: { order_id: 'ORD-1' } },
      { name: 'get_order_status', input: { order_id: 'ORD-2' } },
    ]);
    const single = respond({
      tools: weatherTools,
      messages: [{ role: 'user', content: 'What is the weather in Paris for Maria?' }],
    });
    expect(toolCalls(single).map((c) => c.input.city)).toEqual(['Paris']);
    const serial = respond({
      tools: weatherTools,
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      messages: [{ role: 'user', content: 'Compare the weather in Paris, Rome and Oslo' }],
    });
    expect(toolCalls(serial)).toHaveLength(1);
  });

  it('researches a question with a search tool that shares a word with it', () => {
    const search = [
      {
        name: 'search_knowledge_base',
        description: 'Search internal articles about company policies',
        input_schema: {
          type: 'object',
          properties: { query: { type: 'string' } },
          required: ['query'],
        },
      },
    ];
    const question = respond({
      tools: search,
      messages: [{ role: 'user', content: 'What is our vacation policy?' }],
    });
    expect(toolCalls(question)).toEqual([
      { name: 'search_knowledge_base', input: { query: 'vacation policy' } },
    ]);
    const statement = respond({
      tools: search,
      messages: [{ role: 'user', content: 'I like our vacation policy.' }],
    });
    expect(toolCalls(statement)).toEqual([]);
  });

  it('still finds the question and its values at the end of a very long message', () => {
    const filler = 'Background notes about the account and earlier conversations. '.repeat(3000);
    const reply = respond({
      tools: weatherTools,
      messages: [{ role: 'user', content: `${filler}\nNow: cancel order ORD-31337.` }],
    });
    expect(toolCalls(reply)).toEqual([{ name: 'cancel_order', input: { order_id: 'ORD-31337' } }]);
  });

  it('is deterministic', () => {
    const body = {
      tools: weatherTools,
      messages: [{ role: 'user', content: 'Weather in Oslo and the time in Rome?' }],
    };
    expect(respond(body)).toEqual(respond(body));
  });
});

describe('after tool results', () => {
  const call = (content: unknown, isError?: boolean) => ({
    tools: weatherTools,
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content,
            ...(isError ? { is_error: true } : {}),
          },
        ],
      },
    ],
  });

  it('summarizes JSON results', () => {
    const reply = respond(call('{"temperature": 18, "conditions": "light rain"}'));
    expect(toolCalls(reply)).toEqual([]);
    expect(textOf(reply)).toContain('get_weather returned temperature: 18, conditions: light rain');
  });

  it('quotes text results given as blocks', () => {
    const reply = respond(call([{ type: 'text', text: 'Sunny, 24 degrees.' }]));
    expect(textOf(reply)).toContain('Sunny, 24 degrees.');
  });

  it('says the tool failed and what the error said', () => {
    const reply = respond(call('Upstream timeout after 30s', true));
    expect(textOf(reply)).toContain('The get_weather tool failed: Upstream timeout after 30s');
  });
});

describe('structured output', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      email: { type: 'string', format: 'email' },
      plan: { type: 'string', enum: ['free', 'pro', 'enterprise'] },
      seats: { type: 'integer', minimum: 1 },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['name', 'email', 'plan', 'seats', 'tags'],
    additionalProperties: false,
  };

  it('answers output_config.format with JSON satisfying the schema, filled from the message', () => {
    const reply = respond({
      output_config: { format: { type: 'json_schema', schema } },
      messages: [
        {
          role: 'user',
          content: 'Extract: Maria Lopez (maria@acme.io) wants the enterprise plan for 40 seats.',
        },
      ],
    });
    expect(reply.blocks).toHaveLength(1);
    const value = JSON.parse(textOf(reply));
    expect(z.fromJSONSchema(schema as never).safeParse(value).success).toBe(true);
    expect(value).toMatchObject({
      name: 'Maria Lopez',
      email: 'maria@acme.io',
      plan: 'enterprise',
      seats: 40,
    });
  });

  it('fills a forced tool used for structured output, even after tool results', () => {
    const tools = [
      { name: 'record_contact', description: 'Record a contact', input_schema: schema },
    ];
    const reply = respond({
      tools,
      tool_choice: { type: 'tool', name: 'record_contact' },
      messages: [{ role: 'user', content: 'Save Ken Adams, ken@example.com, free plan' }],
    });
    const [only] = toolCalls(reply);
    expect(z.fromJSONSchema(schema as never).safeParse(only!.input).success).toBe(true);
    expect(only!.input).toMatchObject({ email: 'ken@example.com', plan: 'free' });
  });
});

describe('retrieved context', () => {
  const text =
    'The grass is green. The sky is blue. Water boils at 100 degrees Celsius at sea level.';

  it('cites text documents with char_location when citations are enabled', () => {
    const reply = respond({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: { type: 'text', media_type: 'text/plain', data: 'Unrelated notes.' },
              title: 'Notes',
            },
            {
              type: 'document',
              source: { type: 'text', media_type: 'text/plain', data: text },
              title: 'Facts',
              citations: { enabled: true },
            },
            { type: 'text', text: 'At what temperature does water boil?' },
          ],
        },
      ],
    });
    const cited = reply.blocks.find(
      (b): b is Extract<ReplyBlock, { type: 'text' }> => b.type === 'text' && !!b.citations,
    );
    expect(cited?.citations).toEqual([
      {
        type: 'char_location',
        cited_text: 'Water boils at 100 degrees Celsius at sea level.',
        document_index: 1,
        document_title: 'Facts',
        start_char_index: text.indexOf('Water'),
        end_char_index: text.length,
        file_id: null,
      },
    ]);
  });

  it('cites search results (also inside tool results) with search_result_location', () => {
    const reply = respond({
      messages: [
        { role: 'user', content: 'How long is the warranty?' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_9', name: 'search', input: { q: 'warranty' } }],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_9',
              content: [
                {
                  type: 'search_result',
                  source: 'https://docs.example/returns',
                  title: 'Returns',
                  content: [{ type: 'text', text: 'Returns are accepted within 30 days.' }],
                  citations: { enabled: true },
                },
                {
                  type: 'search_result',
                  source: 'https://docs.example/warranty',
                  title: 'Warranty',
                  content: [
                    { type: 'text', text: 'Shipping is free.' },
                    { type: 'text', text: 'The warranty lasts two years from purchase.' },
                  ],
                  citations: { enabled: true },
                },
              ],
            },
          ],
        },
      ],
    });
    const citations = reply.blocks.flatMap((b) => (b.type === 'text' ? (b.citations ?? []) : []));
    expect(citations).toEqual([
      {
        type: 'search_result_location',
        cited_text: 'The warranty lasts two years from purchase.',
        search_result_index: 1,
        source: 'https://docs.example/warranty',
        title: 'Warranty',
        start_block_index: 1,
        end_block_index: 2,
      },
    ]);
  });

  it('answers from sources pasted into the system prompt and names them', () => {
    const reply = respond({
      system:
        '<documents><document><source>handbook.md</source><document_content>Employees get 25 vacation days per year. Remote work is allowed on Fridays.</document_content></document></documents>',
      messages: [{ role: 'user', content: 'How many vacation days do employees get?' }],
    });
    expect(textOf(reply)).toBe(
      'According to handbook.md: "Employees get 25 vacation days per year."',
    );
  });

  it('reads "[1] path" headers', () => {
    const reply = respond({
      messages: [
        {
          role: 'user',
          content:
            '[1] docs/deploy.md\nDeploys run every Tuesday.\n[2] docs/oncall.md\nThe on-call rotation is weekly.\n\nWhen do deploys run?',
        },
      ],
    });
    expect(textOf(reply)).toContain('docs/deploy.md');
    expect(textOf(reply)).toContain('Deploys run every Tuesday.');
  });

  it('cites content documents by block and names PDFs by title', () => {
    const reply = respond({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' },
              title: 'Annual report 2025',
            },
            {
              type: 'document',
              source: {
                type: 'content',
                content: [
                  { type: 'text', text: 'Revenue grew 12 percent.' },
                  { type: 'text', text: 'Headcount stayed flat at 80 people.' },
                ],
              },
              title: 'Summary',
              citations: { enabled: true },
            },
            { type: 'text', text: 'How did headcount change?' },
          ],
        },
      ],
    });
    const citations = reply.blocks.flatMap((b) => (b.type === 'text' ? (b.citations ?? []) : []));
    expect(citations).toEqual([
      {
        type: 'content_block_location',
        cited_text: 'Headcount stayed flat at 80 people.',
        document_index: 1,
        document_title: 'Summary',
        start_block_index: 1,
        end_block_index: 2,
        file_id: null,
      },
    ]);
    const pdf = respond({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' },
              title: 'Annual report 2025',
            },
            { type: 'text', text: 'What is in the annual report?' },
          ],
        },
      ],
    });
    expect(textOf(pdf)).toContain('Annual report 2025');
  });

  it('fills structured output from a document as well as the question', () => {
    const schema = {
      type: 'object',
      properties: {
        vendor: { type: 'string' },
        total: { type: 'number' },
        due: { type: 'string', format: 'date' },
      },
      required: ['vendor', 'total', 'due'],
      additionalProperties: false,
    };
    const reply = respond({
      output_config: { format: { type: 'json_schema', schema } },
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: {
                type: 'text',
                media_type: 'text/plain',
                data: 'Invoice from "Acme Tools". Total 249.90, due 2026-02-01.',
              },
            },
            { type: 'text', text: 'Extract the invoice fields.' },
          ],
        },
      ],
    });
    expect(JSON.parse(textOf(reply))).toEqual({
      vendor: 'Acme Tools',
      total: 249.9,
      due: '2026-02-01',
    });
  });

  it('says when the answer is not in the context', () => {
    const reply = respond({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: { type: 'text', media_type: 'text/plain', data: text },
              title: 'Facts',
            },
            { type: 'text', text: 'Who won the 1998 World Cup?' },
          ],
        },
      ],
    });
    expect(textOf(reply)).toMatch(/couldn't find the answer .* provided context/);
  });
});

describe('thinking', () => {
  const ask = {
    messages: [{ role: 'user', content: 'Should we shard the database or add replicas?' }],
  };

  it('starts with a thinking block sized to budget_tokens', () => {
    const small = respond({
      ...ask,
      max_tokens: 8000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    const large = respond({
      ...ask,
      max_tokens: 16000,
      thinking: { type: 'enabled', budget_tokens: 8000 },
    });
    expect(small.blocks[0]?.type).toBe('thinking');
    expect(small.blocks[1]?.type).toBe('text');
    const tokens = (reply: Reply) => {
      const first = reply.blocks[0];
      return countTextTokens(first?.type === 'thinking' ? first.thinking : '');
    };
    expect(tokens(small)).toBeGreaterThanOrEqual(100);
    expect(tokens(small)).toBeLessThan(200);
    expect(tokens(large)).toBeGreaterThan(tokens(small) * 4);
  });

  it('thinks with adaptive thinking, and still thinks when display is omitted', () => {
    expect(respond({ ...ask, thinking: { type: 'adaptive' } }).blocks[0]?.type).toBe('thinking');
    // The pipeline withholds omitted thinking but bills it, so the responder writes it anyway.
    const omitted = respond({
      ...ask,
      thinking: { type: 'enabled', budget_tokens: 2000, display: 'omitted' },
    });
    expect(omitted.blocks[0]).toMatchObject({
      type: 'thinking',
      thinking: expect.stringMatching(/shard/),
    });
  });

  it('does not think again after tool results in manual mode', () => {
    const reply = respond({
      thinking: { type: 'enabled', budget_tokens: 2000 },
      tools: weatherTools,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'x', signature: 's' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' }],
        },
      ],
    });
    expect(reply.blocks.map((b) => b.type)).toEqual(['text']);
  });
});

describe('images', () => {
  it('describes each image by type, pixel size and byte size', () => {
    const png = testImages.png(640, 480);
    const reply = respond({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
            {
              type: 'image',
              source: {
                type: 'base64',
                media_type: 'image/jpeg',
                data: testImages.jpeg(1024, 768),
              },
            },
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/webp', data: testImages.webp(32, 16) },
            },
            { type: 'text', text: 'What is in these pictures?' },
          ],
        },
      ],
    });
    const text = textOf(reply);
    const size = Buffer.from(png, 'base64').length;
    expect(text).toContain(
      `(1) a PNG image, 640x480 pixels, ${size < 1024 ? `${size} bytes` : `${Math.round(size / 1024)} KB`}`,
    );
    expect(text).toContain('(2) a JPEG image, 1024x768 pixels');
    expect(text).toContain('(3) a WebP image, 32x16 pixels');
    expect(text).toContain('not what they show');
  });
});

describe('plain prose', () => {
  it('writes several paragraphs when asked for something long, and a short reply otherwise', () => {
    const long = textOf(
      respond({
        messages: [{ role: 'user', content: 'Write a long story about a lighthouse keeper' }],
      }),
    );
    expect(long.split('\n\n').length).toBeGreaterThanOrEqual(4);
    expect(countTextTokens(long)).toBeGreaterThan(300);
    expect(long).toContain('lighthouse keeper');
    const short = textOf(respond({ messages: [{ role: 'user', content: 'What is a monad?' }] }));
    expect(countTextTokens(short)).toBeLessThan(80);
    expect(short).toContain('monad');
  });

  it('does simple arithmetic and never claims to be Claude', () => {
    expect(textOf(respond({ messages: [{ role: 'user', content: 'What is 12 * 7?' }] }))).toBe(
      '12 * 7 = 84.',
    );
    const identity = textOf(respond({ messages: [{ role: 'user', content: 'Are you Claude?' }] }));
    expect(identity).toContain('emulator');
    expect(identity).not.toMatch(/I am Claude|I'm Claude/);
  });

  it('answers a classification prompt with one of the offered labels', () => {
    const label = (content: string) => textOf(respond({ messages: [{ role: 'user', content }] }));
    expect(
      label(
        'Classify this ticket as billing, technical, or shipping: my shipping label never arrived',
      ),
    ).toBe('shipping');
    expect(label('Answer with one of: yes, no. Is the sky green?')).toBe('yes');
    expect(label('Is it spam or ham? Reply with spam or ham only.')).toMatch(/^(?:spam|ham)$/);
  });

  it('continues a prefilled "{" as JSON', () => {
    const reply = respond({
      messages: [
        { role: 'user', content: 'Say hello as JSON' },
        { role: 'assistant', content: '{' },
      ],
    });
    expect(() => JSON.parse(`{${textOf(reply)}`)).not.toThrow();
  });
});

describe('what clients send: PDFs, system instructions, Claude Code turns', () => {
  it('answers a PDF from its text layer and cites the page', () => {
    const data = testPdf([['Cover page.'], ['The warehouse in Lyon opens at 7am.', 'Staff: 12.']], {
      compress: true,
    });
    const reply = respond({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data },
              title: 'Handbook',
              citations: { enabled: true },
            },
            { type: 'text', text: 'When does the warehouse open?' },
          ],
        },
      ],
    });
    expect(textOf(reply)).toContain('The warehouse in Lyon opens at 7am.');
    const cited = reply.blocks.flatMap((b) =>
      b.type === 'text' && b.citations ? b.citations : [],
    );
    expect(cited[0]).toEqual({
      type: 'page_location',
      cited_text: 'The warehouse in Lyon opens at 7am.',
      document_index: 0,
      document_title: 'Handbook',
      start_page_number: 2,
      end_page_number: 3,
      file_id: null,
    });
  });

  it('calls the tool a system prompt says to always call, with the numbers of the question', () => {
    const reply = respond({
      system: 'You are bad at math and must ALWAYS call the math_addition function.',
      tools: [
        {
          name: 'math_addition',
          description: 'Add two integers',
          input_schema: {
            type: 'object',
            properties: {
              a: { type: 'integer', description: 'The first integer to add.' },
              b: { type: 'integer', description: 'The second integer to add.' },
            },
            required: ['a', 'b'],
          },
        },
        weatherTools[0],
      ],
      messages: [{ role: 'user', content: 'What is the sum of 1836281973 and 19973286?' }],
    });
    expect(toolCalls(reply)).toEqual([
      { name: 'math_addition', input: { a: 1836281973, b: 19973286 } },
    ]);
  });

  it("reads a file Claude Code's way: system reminders are context, the path is made absolute, optional fields stay out", () => {
    const read = {
      name: 'Read',
      description: 'Reads a file from the local filesystem.',
      input_schema: {
        type: 'object',
        properties: {
          file_path: { type: 'string', description: 'The absolute path to the file to read' },
          offset: { type: 'integer', description: 'The line number to start reading from.' },
          pages: { type: 'string', description: 'Page range for PDF files (e.g., "1-5").' },
        },
        required: ['file_path'],
        additionalProperties: false,
      },
    };
    const reminder =
      '<system-reminder>\n# Environment\n - Primary working directory: /home/ada/project\n - Platform: linux\n</system-reminder>';
    const first = respond({
      tools: [read],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: reminder },
            { type: 'text', text: 'What does the file notes.txt in this folder say?' },
          ],
        },
      ],
    });
    const calls = toolCalls(first);
    expect(calls).toEqual([{ name: 'Read', input: { file_path: '/home/ada/project/notes.txt' } }]);
    const toolUse = first.blocks.find((b) => b.type === 'tool_use')!;
    const answer = respond({
      tools: [read],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What does the file notes.txt say?' }] },
        { role: 'assistant', content: [{ ...toolUse, id: 'toolu_01' }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_01',
              content:
                '1\tThe launch code is PELICAN-42.\n2\n\n<system-reminder>note</system-reminder>',
            },
          ],
        },
      ],
    });
    expect(textOf(answer)).toBe(
      "Here's what I found: Read returned The launch code is PELICAN-42.",
    );
  });

  it('says what it is told to say', () => {
    expect(textOf(respond({ messages: [{ role: 'user', content: 'Say hello' }] }))).toBe('Hello');
  });
});

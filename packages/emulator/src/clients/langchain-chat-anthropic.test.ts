/**
 * LangChain's `ChatAnthropic`, unmodified, against the emulator over a real socket. The cases
 * follow LangChain.js's standard chat-model integration suite (`ChatModelIntegrationTests` in
 * langchain-ai/langchainjs, libs/langchain-standard-tests/src/integration_tests/chat_models.ts):
 * the same prompts, tools and assertions that every chat-model integration is held to against
 * the real API. Where a standard case asserts something no real model could give, the test
 * below says so and asserts what the real API gives instead.
 */
import { ChatAnthropic } from '@langchain/anthropic';
import { InMemoryCache } from '@langchain/core/caches';
import {
  AIMessage,
  AIMessageChunk,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { StructuredTool, tool } from '@langchain/core/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startEmulator, type EmulatorHandle } from '../index.ts';
import { testImages } from '../messages/test-images.ts';
import { testPdf } from '../responder/test-pdf.ts';

const model = 'claude-sonnet-4-6';

const adderSchema = z
  .object({
    a: z.number().int().describe('The first integer to add.'),
    b: z.number().int().describe('The second integer to add.'),
  })
  .describe('Add two integers');

class AdderTool extends StructuredTool {
  name = 'AdderTool';
  description = 'Add two integers';
  schema = adderSchema;
  async _call(input: z.infer<typeof adderSchema>): Promise<string> {
    return JSON.stringify({ result: input.a + input.b });
  }
}

/** The standard suite's prompt: the system prompt says to always call the tool. */
const mathAdditionPrompt = ChatPromptTemplate.fromMessages([
  ['system', 'You are bad at math and must ALWAYS call the {toolName} function.'],
  ['human', 'What is the sum of 1836281973 and 19973286?'],
]);

const weatherTool = tool(() => 'The weather in San Francisco is 70 degrees and sunny.', {
  name: 'get_current_weather',
  description: 'Get the current weather for a location.',
  schema: z.object({ location: z.string().describe('The location to get the weather for.') }),
});

let emulator: EmulatorHandle;

function chat(extra: Record<string, unknown> = {}): ChatAnthropic {
  return new ChatAnthropic({
    model,
    apiKey: 'test-key',
    anthropicApiUrl: emulator.url,
    maxRetries: 0,
    maxTokens: 1024,
    ...extra,
  });
}

async function collect(stream: AsyncIterable<AIMessageChunk>): Promise<AIMessageChunk> {
  let result: AIMessageChunk | undefined;
  for await (const chunk of stream) {
    expect(chunk).toBeInstanceOf(AIMessageChunk);
    result = result ? result.concat(chunk) : chunk;
  }
  if (!result) throw new Error('the stream produced no chunk');
  return result;
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('ChatAnthropic (LangChain) against the emulator: the standard integration suite', () => {
  it('invoke: "Hello" gets non-empty text and usage metadata', async () => {
    const result = await chat().invoke('Hello');
    expect(result).toBeInstanceOf(AIMessage);
    expect(typeof result.text).toBe('string');
    expect(result.text).not.toBe('');
    expect(result.usage_metadata?.input_tokens).toBeGreaterThan(0);
    expect(result.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(result.usage_metadata?.total_tokens).toBe(
      result.usage_metadata!.input_tokens + result.usage_metadata!.output_tokens,
    );
    expect(result.response_metadata.model).toBe(model);
  });

  it('stream: chunks add up to non-empty text, with usage metadata', async () => {
    const result = await collect(await chat().stream('Hello'));
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.usage_metadata?.input_tokens).toBeGreaterThan(0);
    expect(result.usage_metadata?.output_tokens).toBeGreaterThan(0);
  });

  it('batch: two prompts, two non-empty answers', async () => {
    const results = await chat().batch(['Hello', 'Hey']);
    expect(results).toHaveLength(2);
    for (const result of results) expect(result.text).not.toBe('');
  });

  it('streamEvents: start, stream events whose text adds up to the end event', async () => {
    const events = [];
    // The v2 event stream is what LangChain apps call today, deprecated or not: it must work here.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    for await (const event of chat().streamEvents('Hello', { version: 'v2' })) events.push(event);
    expect(events[0]?.event).toBe('on_chat_model_start');
    expect(events.at(-1)?.event).toBe('on_chat_model_end');
    expect(events[Math.floor(events.length / 2)]?.event).toBe('on_chat_model_stream');
    const streamed = events
      .filter((e) => e.event === 'on_chat_model_stream')
      .map((e) => (e.data.chunk as AIMessageChunk).text)
      .join('');
    expect((events.at(-1)!.data.output as AIMessageChunk).text).toBe(streamed);
  });

  it('conversations, including doubled system, human and AI messages', async () => {
    const simple = await chat().invoke([
      new HumanMessage('hello'),
      new AIMessage('hello'),
      new HumanMessage('how are you'),
    ]);
    expect(simple.text).not.toBe('');
    const doubled = await chat().invoke([
      new SystemMessage('hello'),
      new SystemMessage('hello'),
      new HumanMessage('hello'),
      new HumanMessage('hello'),
      new AIMessage('hello'),
      new AIMessage('hello'),
      new HumanMessage('how are you'),
    ]);
    expect(doubled.text).not.toBe('');
  });

  it('stop sequences at call time and at construction', async () => {
    const atCall = await chat().invoke('hi', { stop: ['you'] });
    expect(atCall.text).not.toMatch(/you/);
    const atConstruction = await chat({ stopSequences: ['you'] }).invoke('hi');
    expect(atConstruction.text).not.toMatch(/you/);
  });

  it('tool calling: "What is the value of adderTool(1, 2)? Use the tool." calls it with a=1, b=2', async () => {
    const result = await chat()
      .bindTools([new AdderTool()])
      .invoke('What is the value of adderTool(1, 2)? Use the tool.');
    expect(result.tool_calls).toHaveLength(1);
    const call = result.tool_calls![0]!;
    expect(call.name).toBe('AdderTool');
    expect(call.args).toEqual({ a: 1, b: 2 });
    expect(call.type).toBe('tool_call');
    // The standard suite also expects the id "abc123", its own placeholder: the real API names
    // tool calls `toolu_...`, and so does the emulator.
    expect(call.id).toMatch(/^toolu_/);
  });

  it('a system prompt that says to ALWAYS call the tool: runnable-like and OpenAI-format tools', async () => {
    const runnableTool = tool(() => '', {
      name: 'math_addition',
      description: 'Add two integers',
      schema: adderSchema,
    });
    const result = await mathAdditionPrompt
      .pipe(chat().bindTools([runnableTool]))
      .invoke({ toolName: 'math_addition' });
    expect(result.tool_calls).toHaveLength(1);
    expect(result.tool_calls![0]!.name).toBe('math_addition');
    expect(result.tool_calls![0]!.args).toEqual({ a: 1836281973, b: 19973286 });

    const openAiFormat = await mathAdditionPrompt
      .pipe(
        chat().bindTools([
          {
            type: 'function',
            function: {
              name: 'math_addition',
              description: 'Add two integers',
              parameters: z.toJSONSchema(adderSchema),
            },
          },
        ]),
      )
      .invoke({ toolName: 'math_addition' });
    expect(openAiFormat.tool_calls?.[0]?.name).toBe('math_addition');
  });

  it('streams tool calls with usage (the math prompt, streamed)', async () => {
    const stream = await mathAdditionPrompt
      .pipe(chat().bindTools([new AdderTool()]))
      .stream({ toolName: 'AdderTool' });
    const result = await collect(stream);
    expect(result.tool_calls?.[0]?.name).toBe('AdderTool');
    expect(result.tool_calls?.[0]?.args).toEqual({ a: 1836281973, b: 19973286 });
    expect(result.usage_metadata?.input_tokens).toBeGreaterThan(0);
    expect(result.usage_metadata?.output_tokens).toBeGreaterThan(0);
  });

  it('tool_choice: a named tool, "any", and "none"', async () => {
    const adder = new AdderTool();
    const named = await chat()
      .bindTools([adder, weatherTool], { tool_choice: 'AdderTool' })
      .invoke('What is 3 + 4?');
    expect(named.tool_calls?.map((c) => c.name)).toEqual(['AdderTool']);
    expect(named.tool_calls?.[0]?.args).toEqual({ a: 3, b: 4 });

    const any = await chat()
      .bindTools([adder, weatherTool], { tool_choice: 'any' })
      .invoke('What is the weather in Paris?');
    expect(any.tool_calls?.[0]?.name).toBe('get_current_weather');
    expect(any.tool_calls?.[0]?.args).toEqual({ location: 'Paris' });

    const none = await chat()
      .bindTools([adder], { tool_choice: 'none' })
      .invoke('What is the sum of 3 and 4?');
    expect(none.tool_calls ?? []).toEqual([]);
    expect(none.text).not.toBe('');
  });

  it('continues tool histories with string and list content, and few-shot examples', async () => {
    const adder = new AdderTool();
    const withTools = chat().bindTools([adder]);
    const args = { a: 1, b: 2 };
    const toolResult = await adder.invoke(args);
    const id = 'toolu_01A09q90qw90lq917835lq9';
    const stringContent = await withTools.invoke([
      new HumanMessage('What is 1 + 2'),
      new AIMessage({
        content: '',
        tool_calls: [{ name: 'AdderTool', args, id, type: 'tool_call' }],
      }),
      new ToolMessage(toolResult, id, 'AdderTool'),
    ]);
    expect(stringContent.text).toContain('3');

    const listContent = await withTools.invoke([
      new HumanMessage('What is 1 + 2'),
      new AIMessage({
        content: [
          { type: 'text', text: 'some text' },
          { type: 'tool_use', id, name: 'AdderTool', input: args },
        ],
        tool_calls: [{ name: 'AdderTool', args, id, type: 'tool_call' }],
      }),
      new ToolMessage(toolResult, id, 'AdderTool'),
    ]);
    expect(listContent.text).toContain('3');

    const fewShot = await withTools.invoke([
      new HumanMessage('What is 1 + 2'),
      new AIMessage({
        content: '',
        tool_calls: [{ name: 'AdderTool', args, id, type: 'tool_call' }],
      }),
      new ToolMessage(toolResult, id, 'AdderTool'),
      new AIMessage(toolResult),
      new HumanMessage('What is 3 + 4'),
    ]);
    expect(fewShot.tool_calls?.[0]?.args).toEqual({ a: 3, b: 4 });
  });

  it('a full tool loop, plain and streamed: the answer comes from the tool result', async () => {
    const withTools = chat().bindTools([weatherTool]);
    for (const streamed of [false, true]) {
      const messages: Array<HumanMessage | AIMessage | ToolMessage> = [
        new HumanMessage(
          "What's the weather like in San Francisco right now? Use the 'get_current_weather' tool to find the answer.",
        ),
      ];
      const first = streamed
        ? await collect(await withTools.stream(messages))
        : await withTools.invoke(messages);
      const call = first.tool_calls?.[0];
      expect(call?.name).toBe('get_current_weather');
      expect(call?.args).toEqual({ location: 'San Francisco' });
      messages.push(first);
      messages.push(
        new ToolMessage({
          tool_call_id: call!.id!,
          name: call!.name,
          content: await weatherTool.invoke(call!.args as { location: string }),
        }),
      );
      const final = streamed
        ? await collect(await withTools.stream(messages))
        : await withTools.invoke(messages);
      expect(final.text).toContain('70 degrees');
    }
  });

  it('withStructuredOutput (function calling, the default): parsed and raw', async () => {
    const structured = chat().withStructuredOutput(adderSchema, { name: 'math_addition' });
    const result = await mathAdditionPrompt.pipe(structured).invoke({ toolName: 'math_addition' });
    expect(result).toEqual({ a: 1836281973, b: 19973286 });

    const withRaw = chat().withStructuredOutput(adderSchema, {
      name: 'math_addition',
      includeRaw: true,
    });
    const both = await mathAdditionPrompt.pipe(withRaw).invoke({ toolName: 'math_addition' });
    expect(both.raw).toBeInstanceOf(AIMessage);
    expect(both.parsed).toEqual({ a: 1836281973, b: 19973286 });
  });

  it('withStructuredOutput (jsonSchema: output_config.format)', async () => {
    const person = z.object({
      name: z.string().describe("The person's name"),
      age: z.number().int().describe("The person's age in years"),
    });
    const structured = chat().withStructuredOutput(person, { method: 'jsonSchema' });
    const result = await structured.invoke('Ada Lovelace is 36 years old.');
    expect(result).toEqual({ name: 'Ada Lovelace', age: 36 });
  });

  it('a more complex tool schema (enum, nested object, free-form record) through structured output', async () => {
    const complex = z.object({
      decision: z.enum(['UseAPI', 'UseFallback']),
      explanation: z.string(),
      apiDetails: z.object({
        serviceName: z.string(),
        endpointName: z.string(),
        parameters: z.record(z.string(), z.unknown()),
        extractionPath: z.string(),
      }),
    });
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', "You're a helpful assistant. Always use the {toolName} tool."],
      [
        'human',
        `I want to use the UseAPI because it's faster. For the API details use the following:
Service name: {serviceName}
Endpoint name: {endpointName}
Parameters: {parameters}
Extraction path: {extractionPath}`,
      ],
    ]);
    const result = await prompt
      .pipe(chat().withStructuredOutput(complex, { name: 'service_tool' }))
      .invoke({
        toolName: 'service_tool',
        serviceName: 'MyService',
        endpointName: 'MyEndpoint',
        parameters: JSON.stringify({ param1: 'value1', param2: 'value2' }),
        extractionPath: 'Users/johndoe/data',
      });
    expect(complex.safeParse(result).success).toBe(true);
    expect(result.decision).toBe('UseAPI');
    expect(result.apiDetails.serviceName).toBe('MyService');
    expect(result.apiDetails.endpointName).toBe('MyEndpoint');
  });

  it("LangChain's own cache: a second identical call is served from it, unchanged", async () => {
    const cache = new InMemoryCache();
    const cached = chat({ cache });
    const message = new HumanMessage({ content: [{ type: 'text', text: 'Hello there!' }] });
    const first = await cached.invoke([message]);
    const before = emulator.state.requestLog.size;
    const second = await cached.invoke([message]);
    expect(second.text).toBe(first.text);
    expect(emulator.state.requestLog.size).toBe(before);
  });

  it('prompt caching: cache_control on a long system prompt writes, then reads', async () => {
    const longSystem = Array.from(
      { length: 400 },
      (_, i) => `Rule ${i + 1}: answer politely and cite the handbook section that applies.`,
    ).join('\n');
    const messages = [
      new SystemMessage({
        content: [{ type: 'text', text: longSystem, cache_control: { type: 'ephemeral' } }],
      }),
      new HumanMessage('Hello'),
    ];
    const first = await chat().invoke(messages);
    expect(first.usage_metadata?.input_token_details?.cache_creation).toBeGreaterThan(0);
    const second = await chat().invoke(messages);
    expect(second.usage_metadata?.input_token_details?.cache_read).toBeGreaterThan(0);
    expect(second.usage_metadata?.input_tokens).toBeGreaterThanOrEqual(
      second.usage_metadata!.input_token_details!.cache_read!,
    );
  });

  it('image and document inputs are answered from their content', async () => {
    const image = await chat().invoke([
      new HumanMessage({
        content: [
          { type: 'text', text: 'What size is this image?' },
          {
            type: 'image_url',
            image_url: { url: `data:image/png;base64,${testImages.png(64, 48)}` },
          },
        ],
      }),
    ]);
    expect(image.text).toMatch(/PNG/);

    const document = await chat().invoke([
      new HumanMessage({
        content: [
          {
            type: 'document',
            source: {
              type: 'text',
              media_type: 'text/plain',
              data: 'The warehouse in Lyon opens at 7am. The office closes at 6pm.',
            },
          },
          { type: 'text', text: 'When does the warehouse open?' },
        ],
      }),
    ]);
    expect(document.text).toContain('7am');
  });

  it("LangChain's standard content blocks: a PDF file and a base64 image", async () => {
    const pdf = await chat().invoke([
      new HumanMessage({
        content: [
          { type: 'text', text: 'What is the total due?' },
          {
            type: 'file',
            mimeType: 'application/pdf',
            data: testPdf([['Invoice 2041.', 'Total due: 1,250 EUR.']]),
          },
        ],
      }),
    ]);
    expect(pdf.text).toContain('Total due: 1,250 EUR.');
    // The standard suite's "1x1 black PNG" is one fully transparent grey+alpha pixel.
    const image = await chat().invoke([
      new HumanMessage({
        content: [
          { type: 'text', text: 'Describe the image' },
          {
            type: 'image',
            mimeType: 'image/png',
            data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
          },
        ],
      }),
    ]);
    expect(image.text).toContain('1x1 pixels');
    expect(image.text).toContain('fully transparent');
  });

  it('client at fault: a base64 text/plain file goes out as a base64 document, which only takes PDFs', async () => {
    // ChatAnthropic turns the standard suite's text/plain data URL into a `base64` document
    // source; the API accepts plain text only as a `text` source, so the request is a 400.
    const attempt = chat().invoke([
      new HumanMessage({
        content: [
          { type: 'text', text: 'What does this file say?' },
          { type: 'file', mimeType: 'text/plain', data: 'SGVsbG8sIFdvcmxkIQ==' },
        ],
      }),
    ]);
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      error: { error: { type: 'invalid_request_error' } },
    });
    await expect(attempt).rejects.toThrow(/application\/pdf/);
  });
});

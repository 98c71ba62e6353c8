import Anthropic from '@anthropic-ai/sdk';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import {
  defineTool,
  imageBlock,
  parsePromptFile,
  runAgent,
  sdkCaller,
  type MessagesCaller,
} from '@keel/core';
import { startEmulator } from '@keel/emulator';
import { deflateSync } from 'node:zlib';
import { z } from 'zod';
import { percentile, type Benchmark } from '../benchmark.ts';

// What the building blocks add on top of the model call. Goals (median):
// - agent loop bookkeeping (validation, tool dispatch, transcript) under 1 ms per iteration,
//   measured with an in-process caller so no network or emulator time is counted;
// - prompt render under 0.1 ms; a 3 MB image block (sniff, header, base64) under 50 ms.
// The emulator run is reported for scale: it is what a tool-using turn costs end to end offline.

const round = (value: number) => Math.round(value * 1000) / 1000;

function pngOfSize(targetBytes: number): Buffer {
  // Incompressible IDAT payload so the file really is that big.
  const header = Buffer.alloc(25);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'ascii');
  header.writeUInt32BE(1024, 16);
  header.writeUInt32BE(768, 20);
  const noise = Buffer.alloc(targetBytes);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  return Buffer.concat([header, deflateSync(noise, { level: 0 })]);
}

const weather = defineTool({
  name: 'weather',
  description: 'Current weather for a city.',
  input: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']).default('celsius') }),
  handler: ({ city, unit }) => ({ city, unit, conditions: 'sunny', temperature: 21 }),
});

function inProcessCaller(toolTurns: number): MessagesCaller {
  let call = 0;
  const message = (content: Message['content'], stop: Message['stop_reason']) =>
    ({
      id: `msg_${call}`,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content,
      stop_reason: stop,
      stop_sequence: null,
      usage: { input_tokens: 100, output_tokens: 20 },
    }) as Message;
  return {
    async create() {
      call += 1;
      if (call % (toolTurns + 1) === 0) {
        return message([{ type: 'text', text: 'Sunny.', citations: null }], 'end_turn');
      }
      return message(
        [
          {
            type: 'tool_use',
            id: `toolu_${call}a`,
            name: 'weather',
            input: { city: 'Paris' },
            caller: { type: 'direct' },
          },
          {
            type: 'tool_use',
            id: `toolu_${call}b`,
            name: 'weather',
            input: { city: 'Oslo' },
            caller: { type: 'direct' },
          },
        ] as Message['content'],
        'tool_use',
      );
    },
    stream() {
      throw new Error('not used');
    },
  };
}

export const benchmark: Benchmark = {
  name: 'building-blocks',
  description: 'Overhead of the agent loop, prompt rendering and image blocks',
  async run() {
    const principal = { userId: 'bench', roles: [] };
    const messages = [{ role: 'user' as const, content: 'Weather in Paris and Oslo?' }];

    // Agent loop, in process: 5 tool turns (2 parallel calls each) + the final answer.
    const loopPerIteration: number[] = [];
    for (let run = 0; run < 300; run++) {
      const started = performance.now();
      const result = await runAgent({
        caller: inProcessCaller(5),
        model: 'claude-sonnet-4-6',
        messages,
        tools: [weather],
        principal,
      });
      loopPerIteration.push((performance.now() - started) / result.iterations);
    }

    // The same turn end to end against the emulator over a socket.
    const emulator = await startEmulator({
      scenarios: [
        {
          name: 'bench-weather',
          forcedOnly: true,
          replies: [
            { content: [{ type: 'tool_use', name: 'weather', input: { city: 'Paris' } }] },
            { content: [{ type: 'text', text: 'Sunny in Paris.' }] },
          ],
        },
      ],
    });
    const caller = sdkCaller(
      new Anthropic({ apiKey: 'bench', baseURL: emulator.url, maxRetries: 0 }),
    );
    const emulatorTurn: number[] = [];
    try {
      for (let run = 0; run < 60; run++) {
        const started = performance.now();
        await runAgent({
          caller,
          model: 'claude-sonnet-4-6',
          messages,
          tools: [weather],
          principal,
          headers: { 'x-keel-scenario': 'bench-weather' },
        });
        emulatorTurn.push(performance.now() - started);
      }
    } finally {
      await emulator.close();
    }

    const prompt = parsePromptFile({
      file: 'bench.md',
      text: '---\nid: bench\nmodel: claude-sonnet-4-6\nmax_tokens: 512\nuser: "Review {{diff}}"\nvariables:\n  diff: string\n  language:\n    type: enum\n    values: [typescript, python]\n---\nYou review {{language}} code.\n',
    });
    const render: number[] = [];
    for (let run = 0; run < 5000; run++) {
      const started = performance.now();
      prompt.render({ diff: '+ const x = 1;', language: 'typescript' });
      render.push(performance.now() - started);
    }

    const png = pngOfSize(3 * 1024 * 1024);
    const image: number[] = [];
    for (let run = 0; run < 30; run++) {
      const started = performance.now();
      await imageBlock({ buffer: png });
      image.push(performance.now() - started);
    }

    const results = {
      agentLoopMsPerIteration: {
        p50: round(percentile(loopPerIteration, 50)),
        p99: round(percentile(loopPerIteration, 99)),
        runs: loopPerIteration.length,
      },
      emulatorToolTurnMs: {
        p50: round(percentile(emulatorTurn, 50)),
        p99: round(percentile(emulatorTurn, 99)),
        runs: emulatorTurn.length,
      },
      promptRenderMs: {
        p50: round(percentile(render, 50)),
        p99: round(percentile(render, 99)),
        runs: render.length,
      },
      imageBlock3MbMs: {
        p50: round(percentile(image, 50)),
        p99: round(percentile(image, 99)),
        bytes: png.byteLength,
        runs: image.length,
      },
    };
    const goals = {
      agentLoop: results.agentLoopMsPerIteration.p50 < 1,
      promptRender: results.promptRenderMs.p50 < 0.1,
      imageBlock: results.imageBlock3MbMs.p50 < 50,
    };
    const met = Object.values(goals).every(Boolean);
    return {
      summary:
        `agent loop ${results.agentLoopMsPerIteration.p50} ms/iteration (goal <1), ` +
        `render ${results.promptRenderMs.p50} ms (goal <0.1), 3 MB image ${results.imageBlock3MbMs.p50} ms (goal <50), ` +
        `emulator tool turn ${results.emulatorToolTurnMs.p50} ms p50: ${met ? 'goals met' : 'GOALS MISSED'}`,
      results: { ...results, goals },
    };
  },
};

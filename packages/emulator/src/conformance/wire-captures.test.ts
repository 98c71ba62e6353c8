import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';
import { unsupportedPhrase } from '../surface/reject-unsupported.ts';
import { postRaw } from './post-raw.ts';
import {
  compareMessages,
  compareStreams,
  parseSse,
  parseWrappedJsonl,
  type WireEvent,
} from './wire-shape.ts';

/**
 * Ground truth from the wire: each request shape the emulator supports is replayed from a real
 * capture (__fixtures__/wire, see its README) against the emulator over a real socket, and the
 * answer is compared with the capture structurally (event order, block and delta types, field
 * names, which fields are null), never by value. Where the emulator knowingly differs, the
 * difference is listed below with its reason, so a fix or a regression both show up here.
 */

const fixture = (path: string) =>
  readFileSync(new URL(`./__fixtures__/wire/${path}`, import.meta.url), 'utf8');
const request = (name: string) =>
  JSON.parse(fixture(`requests/${name}.json`)) as Record<string, unknown>;

/**
 * Where the emulator knowingly differs from a capture, and why. Each list must match exactly: when
 * the emulator is fixed, the list empties and the fidelity table in the README changes with it.
 */
const knownDifferences = {
  /**
   * The emulator reports `usage.output_tokens_details` at the end of every stream; the
   * claude-haiku-4-5 captures have none (the claude-opus-4-8 ones do, and match).
   */
  haikuUsage: [
    'message_delta: extra usage.output_tokens_details.thinking_tokens: number',
    'message_delta: extra usage.output_tokens_details: object',
  ],
  /**
   * Not an emulator defect: the only thinking capture here is an older, abridged documentation
   * example whose thinking block starts without `signature`. Today's extended-thinking page
   * (https://platform.claude.com/docs/en/build-with-claude/extended-thinking, the `display:
   * "omitted"` streaming example) and the SDK's `ThinkingBlock` type (signature required) start it
   * with `"signature": ""`, as the emulator does.
   */
  thinkingStart: ['content_block_start(thinking): extra content_block.signature: string'],
};

let emulator: EmulatorHandle;
const redactedCapture = parseWrappedJsonl(fixture('redacted_thought.sse.stream.jsonl'));
/** The capture's redacted thinking blobs, replayed through a scenario in the same order. */
const redactedData = redactedCapture.flatMap((event) => {
  const block = event.data.content_block as { type: string; data: string } | undefined;
  return event.data.type === 'content_block_start' && block?.type === 'redacted_thinking'
    ? [block.data]
    : [];
});

beforeAll(async () => {
  emulator = await startEmulator({
    scenarios: [
      {
        // The capture's shape: redacted thinking blocks, then the answer.
        name: 'redacted-thinking-capture',
        match: { userContains: ['zz-redacted-capture-zz'] },
        replies: [
          {
            content: [
              ...redactedData.map((data) => ({ type: 'redacted_thinking' as const, data })),
              { type: 'text' as const, text: 'Hello! How can I help you today?' },
            ],
          },
        ],
      },
    ],
  });
});
afterAll(() => emulator?.close());

/** Streams a request from the emulator and parses its raw SSE bytes. */
async function streamFromEmulator(body: Record<string, unknown>): Promise<WireEvent[]> {
  const response = await fetch(`${emulator.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'wire-key',
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify({ ...body, stream: true }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return parseSse(text);
}

/** The stop reason a stream ends with. */
const stopReasonOf = (events: readonly WireEvent[]) =>
  (
    events.find((event) => event.data.type === 'message_delta')?.data.delta as {
      stop_reason?: string;
    }
  )?.stop_reason;

/** Replays a captured request as a stream; the stop reason must match the capture's too. */
async function replay(requestName: string, capture: WireEvent[]): Promise<string[]> {
  const actual = await streamFromEmulator(request(requestName));
  expect(stopReasonOf(actual)).toBe(stopReasonOf(capture));
  return compareStreams({ actual, expected: capture });
}

describe('streams replayed from real captures have the real shape', () => {
  it('plain text (requests/text.json)', async () => {
    const differences = await replay('text', parseWrappedJsonl(fixture('text.sse.stream.jsonl')));
    expect(differences).toEqual(knownDifferences.haikuUsage);
  });

  it('forced tool call (requests/incremental_tool.json)', async () => {
    const differences = await replay(
      'incremental_tool',
      parseWrappedJsonl(fixture('incremental/tool_items.sse.stream.jsonl')),
    );
    expect(differences).toEqual(knownDifferences.haikuUsage);
  });

  it('structured output (requests/incremental_structured.json)', async () => {
    const differences = await replay(
      'incremental_structured',
      parseWrappedJsonl(fixture('incremental/structured_items.sse.stream.jsonl')),
    );
    expect(differences).toEqual(knownDifferences.haikuUsage);
  });

  it('text from a current model (claude-opus-4-8)', async () => {
    const differences = compareStreams({
      actual: await streamFromEmulator({ ...request('text'), model: 'claude-opus-4-8' }),
      expected: parseWrappedJsonl(fixture('system_after_server_tool.sse.stream.jsonl')),
    });
    expect(differences).toEqual([]);
  });

  it('thinking then text (thinking.sse.stream.txt)', async () => {
    const differences = compareStreams({
      actual: await streamFromEmulator({
        model: 'claude-haiku-4-5',
        max_tokens: 2048,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'What is 27 * 453?' }],
      }),
      expected: parseSse(fixture('thinking.sse.stream.txt')),
      // An abridged documentation example: its message events carry no usage.
      skipFieldsOf: ['message_start', 'message_delta'],
    });
    expect(differences).toEqual(knownDifferences.thinkingStart);
  });

  it('redacted thinking then text (redacted_thought.sse.stream.jsonl)', async () => {
    const differences = compareStreams({
      actual: await streamFromEmulator({
        model: 'claude-haiku-4-5',
        max_tokens: 2048,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'zz-redacted-capture-zz' }],
      }),
      expected: redactedCapture,
      // A claude-3-7-sonnet capture from before stop_details and the newer usage fields.
      skipFieldsOf: ['message_start', 'message_delta'],
    });
    expect(differences).toEqual([]);
  });
});

describe('a non-streaming message has the real shape', () => {
  it('text from a current model (system_after_server_tool.response.json)', async () => {
    const answer = await postRaw({
      url: emulator.url,
      body: { ...request('text'), model: 'claude-opus-4-8' },
    });
    expect(answer.status).toBe(200);
    const differences = compareMessages(
      answer.body,
      JSON.parse(fixture('system_after_server_tool.response.json')),
    );
    expect(differences).toEqual([]);
  });
});

describe('captured requests the emulator does not emulate yet get the clear 400', () => {
  it.each([
    'web_search',
    'web_fetch',
    'tool_search',
    'pause_turn',
    'ptc',
    'system_after_server_tool',
  ])('requests/%s.json', async (name) => {
    const answer = await postRaw({ url: emulator.url, body: request(name) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body.error?.message).toContain(unsupportedPhrase);
  });
});

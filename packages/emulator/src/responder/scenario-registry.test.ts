import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeelError, ValidationError } from '@keel/errors';
import { defaultModelCatalog } from '@keel/models';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.ts';
import { messageRequestSchema, type MessageRequest } from '../messages/request-schema.ts';
import { loadScenarioFile, ScenarioFileError } from './load-scenario-file.ts';
import type { Responder } from './reply.ts';
import { ScenarioRegistry } from './scenario-registry.ts';
import { scenarioResponder } from './scenario-responder.ts';

const folder = mkdtempSync(join(tmpdir(), 'keel-scenarios-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

const model = defaultModelCatalog().find('claude-sonnet-4-6')!;
const fallback: Responder = () => ({ blocks: [{ type: 'text', text: 'fallback' }] });

function request(body: Record<string, unknown>): MessageRequest {
  return messageRequestSchema.parse({ model: 'claude-sonnet-4-6', max_tokens: 100, ...body });
}

const ask = (text: string, extra: Record<string, unknown> = {}) =>
  request({ messages: [{ role: 'user', content: text }], ...extra });

describe('loadScenarioFile', () => {
  it('reads a YAML list with string shorthand for text replies', () => {
    const path = file(
      'refunds.yaml',
      [
        '- name: refund',
        '  match:',
        '    userContains: [refund]',
        '  replies:',
        '    - content:',
        '        - type: tool_use',
        '          name: lookup_order',
        '          input: { order_id: ORD-1 }',
        '    - content: Your refund is on its way.',
        '      stop_reason: end_turn',
      ].join('\n'),
    );
    expect(loadScenarioFile(path)).toEqual([
      {
        name: 'refund',
        match: { userContains: ['refund'] },
        replies: [
          { content: [{ type: 'tool_use', name: 'lookup_order', input: { order_id: 'ORD-1' } }] },
          {
            content: [{ type: 'text', text: 'Your refund is on its way.' }],
            stop_reason: 'end_turn',
          },
        ],
      },
    ]);
  });

  it('reads a single JSON scenario and a { scenarios: [...] } file', () => {
    const single = file(
      'one.json',
      JSON.stringify({ name: 'hi', replies: [{ content: 'Hello' }] }),
    );
    expect(loadScenarioFile(single).map((s) => s.name)).toEqual(['hi']);
    const wrapped = file(
      'many.yml',
      'scenarios:\n  - name: a\n    replies: [{ content: A }]\n  - name: b\n    replies: [{ content: B }]\n',
    );
    expect(loadScenarioFile(wrapped).map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('names the file and the field of an invalid scenario', () => {
    const path = file(
      'bad.yaml',
      '- name: broken\n  replies:\n    - content:\n        - type: tool_use\n          name: "not a tool name"\n',
    );
    let caught: unknown;
    try {
      loadScenarioFile(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.details.source).toBe(path);
    expect(error.details.issues).toEqual(['0.replies.0.content.0.name: must be a valid tool name']);
    expect(error.message).toContain(path);
  });

  it('rejects unknown fields, bad regular expressions, empty replies and duplicate names', () => {
    const path = file(
      'worse.json',
      JSON.stringify([
        { name: 'x', match: { userMatches: '(' }, replies: [] },
        { name: 'y', replies: [{ content: 'ok' }], extra: 1 },
        { name: 'z', replies: [{ content: 'a' }] },
        { name: 'z', replies: [{ content: 'b' }] },
      ]),
    );
    expect(() => loadScenarioFile(path)).toThrow(ValidationError);
    try {
      loadScenarioFile(path);
    } catch (error) {
      const issues = (error as ValidationError).details.issues;
      expect(
        issues.some((issue) =>
          issue.startsWith('0.match.userMatches: must be a valid regular expression'),
        ),
      ).toBe(true);
      expect(issues.some((issue) => issue.startsWith('0.replies:'))).toBe(true);
      expect(issues.some((issue) => issue.startsWith('1:') && issue.includes('extra'))).toBe(true);
      expect(issues.some((issue) => issue.includes('"z" is used by more than one scenario'))).toBe(
        true,
      );
    }
  });

  it('reports unparseable and missing files', () => {
    expect(() => loadScenarioFile(file('syntax.json', '{ nope'))).toThrow(
      /syntax\.json is invalid:\n {2}- not valid JSON/,
    );
    const missing = join(folder, 'missing.yaml');
    const error = (() => {
      try {
        loadScenarioFile(missing);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ScenarioFileError);
    expect(KeelError.is(error, 'scenario_file_unreadable')).toBe(true);
  });
});

describe('scenario responder', () => {
  it('answers matching requests with replies in turn, the last repeating, then falls back', () => {
    const registry = new ScenarioRegistry({
      scenarios: [
        {
          name: 'steps',
          match: { userContains: ['STEP'] },
          replies: [
            { content: [{ type: 'text', text: 'one' }] },
            { content: [{ type: 'text', text: 'two' }] },
          ],
        },
      ],
    });
    const responder = scenarioResponder({ registry, fallback });
    const texts = [1, 2, 3].map(() => responder(ask('next step please'), { model }));
    expect(
      texts.map((r) => r.blocks.map((b) => (b.type === 'text' ? b.text : '')).join('')),
    ).toEqual(['one', 'two', 'two']);
    expect(texts[0]!.scenario).toBe('steps');
    expect(responder(ask('something else'), { model }).blocks).toEqual([
      { type: 'text', text: 'fallback' },
    ]);
  });

  it('restarts replies after clear() and after re-adding a scenario', () => {
    const registry = new ScenarioRegistry();
    const scenario = {
      name: 'n',
      replies: [
        { content: [{ type: 'text' as const, text: 'first' }] },
        { content: [{ type: 'text' as const, text: 'second' }] },
      ],
    };
    registry.add(scenario);
    const responder = scenarioResponder({ registry, fallback });
    const first = () => {
      const block = responder(ask('x'), { model }).blocks[0]!;
      return block.type === 'text' ? block.text : '';
    };
    expect([first(), first()]).toEqual(['first', 'second']);
    registry.clear();
    expect(registry.list()).toEqual([]);
    expect(first()).toBe('fallback');
    registry.add(scenario);
    expect(first()).toBe('first');
    registry.add(scenario);
    expect(first()).toBe('first');
  });

  it('matches on regex, system prompt, model, tools and tool-result turns', () => {
    const registry = new ScenarioRegistry({
      scenarios: [
        {
          name: 'regex',
          match: { userMatches: '/^ticket \\d+$/i' },
          replies: [{ content: [{ type: 'text', text: 'regex' }] }],
        },
        {
          name: 'system',
          match: { systemContains: 'pirate' },
          replies: [{ content: [{ type: 'text', text: 'arr' }] }],
        },
        {
          name: 'model',
          match: { model: 'claude-haiku-4-5' },
          replies: [{ content: [{ type: 'text', text: 'haiku' }] }],
        },
        {
          name: 'after',
          match: { afterToolResult: true, hasTool: 'lookup' },
          replies: [{ content: [{ type: 'text', text: 'after tool' }] }],
        },
      ],
    });
    const responder = scenarioResponder({ registry, fallback });
    const say = (r: MessageRequest) => {
      const block = responder(r, { model: defaultModelCatalog().find(r.model)! }).blocks[0]!;
      return block.type === 'text' ? block.text : block.type;
    };
    expect(say(ask('TICKET 42'))).toBe('regex');
    expect(say(ask('ticket 42 now'))).toBe('fallback');
    expect(say(ask('hello', { system: 'You are a pirate.' }))).toBe('arr');
    expect(
      say(request({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hi' }] })),
    ).toBe('haiku');
    const tools = [{ name: 'lookup', input_schema: { type: 'object' } }];
    expect(
      say(
        request({
          tools,
          messages: [
            { role: 'user', content: 'find it' },
            {
              role: 'assistant',
              content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} }],
            },
            {
              role: 'user',
              content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'found' }],
            },
          ],
        }),
      ),
    ).toBe('after tool');
    expect(say(ask('find it', { tools }))).toBe('fallback');
  });

  it('uses a forced scenario regardless of its match, and rejects unknown names with a 400', () => {
    const registry = new ScenarioRegistry({
      scenarios: [
        {
          name: 'only-forced',
          forcedOnly: true,
          replies: [{ content: [{ type: 'text', text: 'forced' }], stop_reason: 'refusal' }],
        },
      ],
    });
    const responder = scenarioResponder({ registry, fallback });
    expect(responder(ask('anything'), { model }).blocks[0]).toEqual({
      type: 'text',
      text: 'fallback',
    });
    const forced = responder(ask('anything'), { model, forcedScenario: 'only-forced' });
    expect(forced).toEqual({
      blocks: [{ type: 'text', text: 'forced' }],
      stopReason: 'refusal',
      scenario: 'only-forced',
    });
    let caught: unknown;
    try {
      responder(ask('anything'), { model, forcedScenario: 'nope' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).status).toBe(400);
    expect((caught as ApiError).message).toContain('only-forced');
  });

  it('fills a scripted tool call without input from the tool schema', () => {
    const registry = new ScenarioRegistry({
      scenarios: [
        { name: 'call', replies: [{ content: [{ type: 'tool_use', name: 'lookup_order' }] }] },
      ],
    });
    const responder = scenarioResponder({ registry, fallback });
    const reply = responder(
      ask('Where is ORD-5?', {
        tools: [
          {
            name: 'lookup_order',
            input_schema: {
              type: 'object',
              properties: { order_id: { type: 'string' } },
              required: ['order_id'],
            },
          },
        ],
      }),
      { model },
    );
    expect(reply.blocks).toEqual([
      { type: 'tool_use', name: 'lookup_order', input: { order_id: 'ORD-5' } },
    ]);
  });

  it('validates inline scenarios', () => {
    expect(() => new ScenarioRegistry({ scenarios: [{ name: '', replies: [] }] })).toThrow(
      ValidationError,
    );
  });
});

/**
 * Claude Code (`@anthropic-ai/claude-code`, the native binary `.ci/run` installs) pointed at the
 * emulator with ANTHROPIC_BASE_URL, run non-interactively with `claude -p`. A recording proxy
 * in front of the emulator keeps what Claude Code sent, so the tests also pin the request
 * shapes it depends on (context_management, adaptive thinking, effort, metadata.user_id, its
 * betas); the emulator's request log says how each request was answered.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';
import { findClaudeCode } from './claude-code-binary.ts';
import {
  startRecordingProxy,
  type RecordedRequest,
  type RecordingProxy,
} from './recording-proxy.ts';

const claudeCode = findClaudeCode();
const model = 'claude-sonnet-4-6';

/** The JSON `claude -p --output-format json` prints when it is done. */
interface ClaudeCodeResult {
  type: 'result';
  subtype: string;
  is_error: boolean;
  result: string;
  num_turns: number;
  permission_denials: unknown[];
  api_error_status?: number | null;
}

let emulator: EmulatorHandle;
let proxy: RecordingProxy;
const folders: string[] = [];

function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** Runs `claude -p <prompt> --output-format json` in `cwd`, isolated from the user's setup. */
function runClaudeCode(options: {
  prompt: string;
  cwd: string;
  args?: string[];
  model?: string;
}): Promise<ClaudeCodeResult> {
  if ('missing' in claudeCode) throw new Error(claudeCode.missing);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: temporaryFolder('keel-claude-home-'),
    ANTHROPIC_BASE_URL: proxy.url,
    ANTHROPIC_API_KEY: 'sk-ant-keel-test',
    ANTHROPIC_MODEL: options.model ?? model,
    // Nothing but the emulator: no update checks, telemetry, error reports or other traffic.
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
  return new Promise((resolve, reject) => {
    execFile(
      claudeCode.path,
      ['-p', options.prompt, '--output-format', 'json', ...(options.args ?? [])],
      { cwd: options.cwd, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout) as ClaudeCodeResult);
        } catch {
          reject(new Error(`claude -p printed no result (${error?.message}): ${stdout}${stderr}`));
        }
      },
    );
  });
}

function messageRequests(since: number): RecordedRequest[] {
  return proxy.requests.slice(since).filter((r) => r.url.startsWith('/v1/messages'));
}

type Body = Record<string, unknown> & {
  messages: Array<{ role: string; content: unknown }>;
  tools?: Array<{ name: string }>;
};

beforeAll(async () => {
  if ('missing' in claudeCode) return;
  emulator = await startEmulator();
  proxy = await startRecordingProxy(emulator.url);
});
afterAll(async () => {
  await proxy?.close();
  await emulator?.close();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** .ci/run sets this: in CI a missing Claude Code is a failure, not a skip. */
const required = process.env.KEEL_REQUIRE_CLAUDE_CODE === '1';

describe.runIf('missing' in claudeCode && required)('Claude Code (required in CI)', () => {
  it('is installed', () => {
    expect('missing' in claudeCode ? claudeCode.missing : undefined).toBeUndefined();
  });
});

describe.skipIf('missing' in claudeCode)(
  `Claude Code against the emulator${'missing' in claudeCode ? ` (skipped: ${claudeCode.missing})` : ''}`,
  () => {
    it('a one-shot prompt returns text, and every request it sent was answered 200', async () => {
      const since = proxy.requests.length;
      const logged = emulator.state.requestLog.size;
      const result = await runClaudeCode({
        prompt: 'Say hello',
        cwd: temporaryFolder('keel-claude-work-'),
      });
      expect(result).toMatchObject({ type: 'result', subtype: 'success', is_error: false });
      expect(result.result).toBe('Hello');

      const sent = messageRequests(since);
      expect(sent.length).toBeGreaterThan(0);
      // Nothing but Messages calls reached the emulator (no telemetry, no update checks).
      expect(proxy.requests.slice(since).every((r) => r.url.startsWith('/v1/messages'))).toBe(true);
      const served = emulator.state.requestLog.list().slice(logged);
      expect(served.map((entry) => entry.status)).toEqual(sent.map(() => 200));
      expect(served.every((entry) => entry.stream && entry.model === model)).toBe(true);

      // The request shapes Claude Code 2.1.x depends on, all accepted above.
      const request = sent.at(-1)!;
      const body = request.body as Body;
      expect(request.url).toBe('/v1/messages?beta=true');
      expect(request.headers['anthropic-version']).toBe('2023-06-01');
      expect(request.headers['x-api-key']).toBe('sk-ant-keel-test');
      expect(String(request.headers['anthropic-beta']).split(',')).toEqual(
        expect.arrayContaining(['context-management-2025-06-27', 'effort-2025-11-24']),
      );
      expect(body).toMatchObject({
        model,
        stream: true,
        thinking: { type: 'adaptive' },
        context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
        output_config: { effort: expect.any(String) },
        metadata: { user_id: expect.any(String) },
      });
      expect(body.tools?.map((tool) => tool.name)).toContain('Read');
    }, 90_000);

    it('a question about a file completes a tool loop: Read with an absolute file_path, then an answer from its content', async () => {
      const work = temporaryFolder('keel-claude-work-');
      writeFileSync(join(work, 'notes.txt'), 'The launch code is PELICAN-42.\n');
      const since = proxy.requests.length;
      const logged = emulator.state.requestLog.size;
      const result = await runClaudeCode({
        prompt: 'What does the file notes.txt in this folder say?',
        cwd: work,
        args: ['--allowedTools', 'Read'],
      });
      expect(result).toMatchObject({ subtype: 'success', is_error: false, num_turns: 2 });
      expect(result.permission_denials).toEqual([]);
      expect(result.result).toContain('The launch code is PELICAN-42.');

      const sent = messageRequests(since);
      const served = emulator.state.requestLog.list().slice(logged);
      expect(served.map((entry) => entry.status)).toEqual(sent.map(() => 200));

      // The last request carries the Read call the emulator made and the file Claude Code read.
      const messages = (sent.at(-1)!.body as Body).messages;
      const [call, answer] = messages.slice(-2) as Array<{
        role: string;
        content: Array<Record<string, unknown>>;
      }>;
      const toolUse = call!.content.find((block) => block.type === 'tool_use');
      expect(call!.role).toBe('assistant');
      expect(toolUse).toMatchObject({
        name: 'Read',
        input: { file_path: join(work, 'notes.txt') },
      });
      const toolResult = answer!.content.find((block) => block.type === 'tool_result');
      expect(toolResult).toMatchObject({ tool_use_id: toolUse!.id });
      expect(toolResult!.is_error).not.toBe(true);
      expect(JSON.stringify(toolResult!.content)).toContain('PELICAN-42');
    }, 90_000);

    it('on a 5.x model the Read loop completes with every request answered 200, its environment sent as a mid-conversation system message', async () => {
      const work = temporaryFolder('keel-claude-work-');
      writeFileSync(join(work, 'notes.txt'), 'The launch code is PELICAN-42.\n');
      const since = proxy.requests.length;
      const logged = emulator.state.requestLog.size;
      const result = await runClaudeCode({
        prompt: 'What does the file notes.txt in this folder say?',
        cwd: work,
        args: ['--allowedTools', 'Read'],
        model: 'claude-sonnet-5-5',
      });
      expect(result).toMatchObject({ subtype: 'success', is_error: false, num_turns: 2 });
      expect(result.result).toContain('The launch code is PELICAN-42.');

      // No retry: the first attempt, with its `role: "system"` message, is accepted.
      const sent = messageRequests(since);
      const served = emulator.state.requestLog.list().slice(logged);
      expect(sent.map((request) => request.status)).toEqual(sent.map(() => 200));
      expect(served.map((entry) => entry.status)).toEqual(sent.map(() => 200));

      // For a model that takes them, Claude Code sends its environment as a `role: "system"`
      // message after the user's turn, with a per-turn effort, under the per-turn-control and
      // mid-conversation-tool-changes betas (see
      // https://platform.claude.com/docs/en/build-with-claude/mid-conversation-system-messages).
      const first = sent[0]!;
      expect(String(first.headers['anthropic-beta']).split(',')).toEqual(
        expect.arrayContaining([
          'per-turn-control-2026-07-01',
          'mid-conversation-tool-changes-2026-07-01',
        ]),
      );
      const messages = (first.body as Body).messages as Array<{
        role: string;
        content: Array<{ type: string; text?: string }>;
        output_config?: { effort?: string };
      }>;
      expect(messages.map((message) => message.role)).toEqual(['user', 'system']);
      expect(messages[1]!.content[0]!.text).toContain('# Environment');
      expect(messages[1]!.output_config).toEqual({ effort: expect.any(String) });
      // The tool loop keeps it in place: user, system, the Read call, its result.
      expect((sent.at(-1)!.body as Body).messages.map((message) => message.role)).toEqual([
        'user',
        'system',
        'assistant',
        'user',
      ]);
    }, 90_000);
  },
);

import { EmulatorAdmin, type FaultRule } from '@keel/emulator';
import { isKeelErrorCode, turnErrorCodes } from '@keel/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistantLogger } from '../app/assistant-runtime.ts';
import type { ChatEvent } from '../chat/chat-events.ts';
import type { AssistantClient } from '../client/assistant-client.ts';
import { collect, openTestAssistant, type TestAssistant } from '../test-support/test-assistant.ts';
import { httpStatusOf } from './http-errors.ts';

// Real failures of the emulator, through a real turn: which code the server raised (read from its
// log), and what the browser was told (the stream's `error` event).
let assistant: TestAssistant;
let alice: AssistantClient;
let admin: EmulatorAdmin;
const logLines: Array<{ msg?: string; err?: { code?: string; message?: string } }> = [];

beforeAll(async () => {
  assistant = await openTestAssistant({
    runtime: {
      logger: createAssistantLogger({
        write: (line: string) => void logLines.push(JSON.parse(line)),
      }),
    },
  });
  alice = await assistant.login('alice@example.com', 'alice-demo');
  admin = new EmulatorAdmin({ baseUrl: assistant.runtime.emulator!.url });
});

afterAll(async () => {
  await assistant?.close();
});

async function failTurn(fault: FaultRule) {
  await admin.setFaults([fault]);
  try {
    logLines.length = 0;
    const session = await alice.createSession();
    const events = await collect(alice.send(session.id, { text: 'Where is my teapot?' }));
    const error = events.find(
      (event): event is Extract<ChatEvent, { type: 'error' }> => event.type === 'error',
    );
    const failed = logLines.find((line) => line.msg === 'chat turn failed');
    return { raised: failed?.err?.code, upstream: failed?.err?.message, error };
  } finally {
    await admin.setFaults([]);
  }
}

describe('error codes of real failures', { timeout: 60_000 }, () => {
  it('raises typed codes the maps know, and tells the browser plain words', async () => {
    const overloaded = await failTurn({ type: 'overloaded', count: 100 });
    const rateLimited = await failTurn({ type: 'rate_limit', count: 100, retryAfterSeconds: 0 });
    const invalid = await failTurn({ type: 'invalid_request', count: 100 });
    const tooLarge = await failTurn({ type: 'request_too_large', count: 100 });

    expect([overloaded, rateLimited, invalid, tooLarge].map((turn) => turn.raised)).toEqual([
      'retry_exhausted',
      'retry_exhausted',
      'claude_client_error',
      'claude_client_error',
    ]);
    expect([overloaded, rateLimited, invalid, tooLarge].map((turn) => turn.error?.code)).toEqual([
      'service_busy',
      'service_busy',
      'request_rejected',
      'request_too_large',
    ]);
    for (const turn of [overloaded, rateLimited, invalid, tooLarge]) {
      expect(isKeelErrorCode(turn.raised)).toBe(true);
      // Had it reached an HTTP response, it would be the gateway's failure, not a 500.
      expect(httpStatusOf(turn.raised as never)).toBeGreaterThanOrEqual(502);
      expect(turnErrorCodes).toContain(turn.error?.code);
      // The upstream's own words stay in the log.
      expect(turn.upstream).toBeTruthy();
      expect(turn.error?.message).not.toContain(turn.upstream!);
      expect(turn.error?.message).not.toMatch(/req_|_error|\{/);
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from '@keel/emulator';
import {
  openAssistantRuntime,
  type AssistantRuntime,
  type AssistantRuntimeOptions,
} from '../app/assistant-runtime.ts';
import { createAssistantApp, type AssistantApp } from '../app/create-assistant-app.ts';
import { AssistantClient } from '../client/assistant-client.ts';
import type { ChatEvent } from '../chat/chat-events.ts';
import { loadAssistantConfig, type AssistantConfig } from '../config/assistant-config.ts';

/** A long scripted answer, paced by the emulator's output speed, for stop and crash tests. */
export const longStory: Scenario = {
  name: 'long-story',
  match: { userContains: ['long story'] },
  replies: [
    {
      content: [
        {
          type: 'text',
          text: Array.from(
            { length: 400 },
            (_, index) => `Sentence ${index + 1} of a very long story about tea.`,
          ).join(' '),
        },
      ],
    },
  ],
};

/** The model is talked into fetching another customer's order (Bob's ORD-10000002). */
const otherCustomersOrder: Scenario = {
  name: 'other-customers-order',
  match: { userContains: ['ORD-10000002'] },
  replies: [
    {
      content: [
        { type: 'tool_use', name: 'get_order_status', input: { order_id: 'ORD-10000002' } },
      ],
    },
    { content: [{ type: 'text', text: 'I could not find that order on your account.' }] },
  ],
};

/** An assistant on a temp data dir and its own embedded emulator, for in-process tests. */
export interface TestAssistant {
  runtime: AssistantRuntime;
  app: AssistantApp;
  dataDir: string;
  /** A client calling the app in-process, optionally signed in. */
  client(token?: string): AssistantClient;
  /** A client signed in as a demo account. */
  login(email: string, password: string): Promise<AssistantClient>;
  close(): Promise<void>;
}

/** Opens a test assistant; `configure` edits the demo configuration. */
export async function openTestAssistant(
  options: {
    configure?: (config: AssistantConfig) => AssistantConfig;
    runtime?: Partial<AssistantRuntimeOptions>;
  } = {},
): Promise<TestAssistant> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-assistant-'));
  const base = loadAssistantConfig();
  const config = options.configure ? options.configure(base) : base;
  const runtime = await openAssistantRuntime({
    config,
    dataDir,
    env: {},
    logger: false,
    emulator: {
      scenarios: [longStory, otherCustomersOrder],
      latency: { timeToFirstTokenMs: 0, outputTokensPerSecond: 3000 },
    },
    ...options.runtime,
  });
  const app = createAssistantApp({ runtime, webRoot: join(dataDir, 'no-web-ui') });
  const fetchApp = ((input: string | URL | Request, init?: RequestInit) =>
    app.request(input instanceof Request ? input : String(input), init)) as typeof fetch;
  const client = (token?: string) =>
    new AssistantClient({
      baseUrl: 'http://assistant.test',
      fetch: fetchApp,
      ...(token ? { token } : {}),
    });
  return {
    runtime,
    app,
    dataDir,
    client,
    async login(email, password) {
      const signedIn = client();
      await signedIn.login(email, password);
      return signedIn;
    },
    async close() {
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every event of one answer. */
export async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const all: ChatEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BudgetManager,
  createPostgresTestSchema,
  estimateInterruptedSpend,
  LedgerStore,
  openStorage,
  type Storage,
} from '@keel/core';
import { defaultModelCatalog } from '@keel/models';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { AssistantClient } from '../client/assistant-client.ts';
import { demoConfigPath, loadAssistantConfig } from '../config/assistant-config.ts';
import { spawnServer, type ServerProcess } from '../test-support/spawn-server.ts';
import { longStory } from '../test-support/test-assistant.ts';

const keelBin = fileURLToPath(new URL('../../../cli/bin/keel.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'keel-crash-ledger-'));
const scenarios = join(scratch, 'scenarios.yaml');
writeFileSync(scenarios, stringify([longStory]));
// The demo assistant with one per-user daily budget, so the crashed call holds budget.
const configPath = join(scratch, 'assistant.config.yaml');
writeFileSync(
  configPath,
  stringify({
    name: 'Crash test',
    feature: 'support-chat',
    systemPrompt: {
      file: resolve(demoConfigPath, '../prompts/support.md'),
      variables: { store_name: 'Acme Store' },
    },
    models: { chat: 'claude-sonnet-5-5' },
    maxTokens: 1024,
    demo: true,
    budgets: [{ id: 'user-daily', scope: 'user', period: 'day', maxUsd: 2 }],
  }),
);
const config = loadAssistantConfig(configPath);
const running: ServerProcess[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  for (const server of running) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }
  for (const cleanup of cleanups) await cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

interface Database {
  /** Environment for `keel serve`. */
  env: Record<string, string>;
  /** Opens the same database from the test. */
  open(): Promise<Storage>;
}

const databases: Array<[string, () => Promise<Database>]> = [
  [
    'SQLite',
    async () => ({
      env: {},
      open: () => openStorage({ url: join(scratch, 'sqlite-data', 'keel.db') }),
    }),
  ],
];
if (process.env.KEEL_TEST_POSTGRES_URL) {
  databases.push([
    'PostgreSQL',
    async () => {
      const schema = (await createPostgresTestSchema())!;
      cleanups.push(() => schema.drop());
      const url = new URL(schema.url);
      url.searchParams.set('options', `-c search_path=${schema.schema}`);
      return {
        env: { KEEL_DATABASE_URL: url.toString() },
        open: () => openStorage({ url: schema.url, schema: schema.schema }),
      };
    },
  ]);
}

describe.each(databases)('a SIGKILL mid-stream, on %s', (name, database) => {
  it(
    'leaves the call in the ledger; the restart marks it interrupted, estimates its spend and turns its hold into spend',
    { timeout: 120_000 },
    async () => {
      const db = await database();
      const dataDir = join(scratch, `${name.toLowerCase()}-data`);
      const serve = async () => {
        const server = await spawnServer(
          [
            '--config',
            configPath,
            '--data-dir',
            dataDir,
            '--emulator-latency',
            'fast',
            '--emulator-scenarios',
            scenarios,
          ],
          db.env,
        );
        running.push(server);
        return server;
      };

      const first = await serve();
      const client = new AssistantClient({ baseUrl: first.url });
      await client.login('alice@example.com', 'alice-demo');
      const session = await client.createSession('Crash');
      let sawText = false;
      try {
        for await (const event of client.send(session.id, {
          text: 'Tell me a long story about tea',
        })) {
          if (event.type === 'text-delta' && !sawText) {
            sawText = true;
            first.child.kill('SIGKILL');
          }
        }
      } catch {
        // The connection died with the process.
      }
      expect(sawText).toBe(true);
      expect(await first.exited).toBe('SIGKILL');

      // What the crash left: a `started` row for the call, and its budget hold.
      const storage = await db.open();
      cleanups.unshift(() => storage.close());
      const ledger = new LedgerStore({ storage });
      const budgets = new BudgetManager({ storage, limits: config.budgets });
      const [cut] = await ledger.startedCalls();
      expect(cut).toMatchObject({ status: 'started', costPicoUsd: 0n });
      expect(cut!.reservationId).not.toBeNull();
      const user = cut!.tags.user!;
      const held = (await budgets.standing({ user }))[0]!;
      expect(held.reserved.picoUsd).toBeGreaterThan(0n);
      expect(held.spent.picoUsd).toBe(0n);

      const second = await serve();
      await expect.poll(() => second.stderr(), { timeout: 10_000 }).toMatch(/"interruptedCalls":1/);

      const closed = (await ledger.get(cut!.id))!;
      const estimate = estimateInterruptedSpend(closed, defaultModelCatalog());
      expect(estimate.cost.priced).toBe(true);
      const estimated = estimate.cost.priced ? estimate.cost.picoUsd : -1n;
      expect(closed).toMatchObject({
        status: 'interrupted',
        estimated: true,
        partial: true,
        errorCode: 'interrupted',
        reservationId: cut!.reservationId,
        costPicoUsd: estimated,
      });
      expect(estimated).toBeGreaterThan(0n);
      expect(await ledger.startedCalls()).toEqual([]);

      const after = (await budgets.standing({ user }))[0]!;
      expect(after.reserved.picoUsd).toBe(0n);
      expect(after.spent.picoUsd).toBe(estimated);
      expect(estimated).toBeLessThanOrEqual(held.reserved.picoUsd);

      // The usage report says the figure is an estimate.
      const usage = (await (
        await fetch(`${second.url}/api/usage?groupBy=day&days=2`, {
          headers: { authorization: `Bearer ${client.token!}` },
        })
      ).json()) as { total: { estimatedRequests: number; requests: number } };
      expect(usage.total).toMatchObject({ estimatedRequests: 1, requests: 1 });
      // So does `keel usage`.
      const report = spawnSync(process.execPath, [keelBin, 'usage', '--by', 'day'], {
        env: { ...process.env, KEEL_DATA_DIR: dataDir, ...db.env },
        encoding: 'utf8',
      });
      expect(report.stdout).toContain('1 calls');
      expect(report.stdout).toContain('1 interrupted by a crash');

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    },
  );
});

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestStorageEngine,
  testDialects,
  type TestStorageEngine,
} from '../storage/test-engines.ts';
import type { BudgetLimitConfig } from './budget-limit.ts';
import { BudgetManager } from './budget-manager.ts';
import { hammerBudget, type HammerResult } from './test-support/hammer-budget.ts';

const workerScript = fileURLToPath(
  new URL('./test-support/budget-hammer-worker.ts', import.meta.url),
);
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

// Each call holds a $0.006 worst case, so the limit admits 10 calls at a time.
const limitPicoUsd = 60_000_000_000n;
const limits: BudgetLimitConfig[] = [{ scope: 'feature', period: 'day', maxUsd: '0.06' }];

/** Starts the worker process; resolves once it is connected and waiting for "go". */
function startWorker(config: object) {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript, JSON.stringify(config)], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const lines = createInterface({ input: child.stdout });
  const received: string[] = [];
  let notify: () => void = () => {};
  lines.on('line', (line) => {
    received.push(line);
    notify();
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = received.shift();
        if (line !== undefined) resolve(line);
      };
      notify = check;
      child.once('exit', (code) => {
        if (received.length === 0) reject(new Error(`worker exited ${code}: ${stderr}`));
      });
      check();
    });
  return {
    ready: nextLine().then((line) => expect(line).toBe('ready')),
    go(): Promise<HammerResult> {
      child.stdin.write('go\n');
      child.stdin.end();
      return nextLine().then((line) => JSON.parse(line) as HammerResult);
    },
    kill: () => child.kill(),
  };
}

describe.each(testDialects)('budget concurrency on %s', (dialect) => {
  let engine: TestStorageEngine;

  beforeAll(async () => {
    engine = await createTestStorageEngine(dialect);
  });
  afterAll(() => engine.cleanup());

  it('never lets 50 concurrent calls over 3 connections pass the limit', async () => {
    const managers = await Promise.all(
      [1, 2, 3].map(async () => new BudgetManager({ storage: await engine.open(), limits })),
    );
    const result = await hammerBudget({ managers, calls: 50, tags: { feature: 'one-process' } });
    const [standing] = await managers[0]!.standing({ feature: 'one-process' });
    expect(result.admitted).toBeGreaterThanOrEqual(10);
    expect(result.refused).toBeGreaterThan(0);
    expect(result.admitted + result.refused).toBe(50);
    expect(standing!.spent.picoUsd).toBe(BigInt(result.spentPicoUsd));
    expect(standing!.spent.picoUsd).toBeLessThanOrEqual(limitPicoUsd);
    expect(standing!.reserved.picoUsd).toBe(0n);
  });

  it('never lets two processes hammering one budget pass the limit together', async () => {
    const tags = { feature: 'two-processes' };
    const worker = startWorker({
      url: engine.url,
      schema: engine.schema,
      limits,
      calls: 50,
      connections: 2,
      tags,
    });
    try {
      const managers = await Promise.all(
        [1, 2].map(async () => new BudgetManager({ storage: await engine.open(), limits })),
      );
      await Promise.all(managers.map((manager) => manager.ready()));
      await worker.ready;
      const [theirs, ours] = await Promise.all([
        worker.go(),
        hammerBudget({ managers, calls: 50, tags }),
      ]);
      const [standing] = await managers[0]!.standing(tags);
      const settled = BigInt(theirs.spentPicoUsd) + BigInt(ours.spentPicoUsd);
      expect(theirs.admitted + theirs.refused).toBe(50);
      expect(ours.admitted + ours.refused).toBe(50);
      expect(theirs.admitted + ours.admitted).toBeGreaterThanOrEqual(10);
      expect(theirs.refused + ours.refused).toBeGreaterThan(0);
      // No lost updates across processes, and the sum stays within the limit.
      expect(standing!.spent.picoUsd).toBe(settled);
      expect(standing!.spent.picoUsd).toBeLessThanOrEqual(limitPicoUsd);
    } finally {
      worker.kill();
    }
  });
});

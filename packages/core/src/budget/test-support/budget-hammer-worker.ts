// A second process for the budget concurrency tests:
//   node --import tsx budget-hammer-worker.ts '{"url":...,"schema":...,"limits":[...],"calls":50,"tags":{...}}'
// Prints "ready" once its connections are open, waits for "go" on stdin, hammers the shared
// budget, then prints its HammerResult as one JSON line.
import { createInterface } from 'node:readline';
import { openStorage } from '../../storage/open-storage.ts';
import { BudgetManager } from '../budget-manager.ts';
import type { BudgetLimitConfig } from '../budget-limit.ts';
import { hammerBudget } from './hammer-budget.ts';

interface WorkerConfig {
  url: string;
  schema?: string;
  limits: BudgetLimitConfig[];
  calls: number;
  connections: number;
  tags: { user?: string; feature?: string; session?: string };
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const storages = await Promise.all(
  Array.from({ length: config.connections }, () =>
    openStorage({ url: config.url, schema: config.schema }),
  ),
);
const managers = storages.map((storage) => new BudgetManager({ storage, limits: config.limits }));
await Promise.all(managers.map((manager) => manager.ready()));

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line.trim() === 'go') break;
}
lines.close();

const result = await hammerBudget({ managers, calls: config.calls, tags: config.tags });
process.stdout.write(`${JSON.stringify(result)}\n`);
await Promise.all(storages.map((storage) => storage.close()));

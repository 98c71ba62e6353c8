import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MessagesClient } from './answer-types.ts';
import { modelForTask } from './model-for-task.ts';

const bare = { messages: {} } as unknown as MessagesClient;

describe('modelForTask', () => {
  it("asks the client's routing table when it has one", () => {
    const routed = {
      messages: { route: (task: string | undefined) => `model-for-${task}` },
    } as unknown as MessagesClient;
    expect(modelForTask(routed, 'summarization')).toBe('model-for-summarization');
  });

  it('falls back to the shipped routing for a client without a table', () => {
    // Read as data (this package must not import @keel/core): the copy may not drift.
    const shipped = JSON.parse(
      readFileSync(
        new URL('../../../core/src/routing/routing-table.json', import.meta.url),
        'utf8',
      ),
    ) as { default: string; tasks: Record<string, string> };
    for (const task of ['document_analysis', 'summarization']) {
      expect(modelForTask(bare, task), task).toBe(shipped.tasks[task]);
    }
    expect(modelForTask(bare, 'no_such_task')).toBe(shipped.default);
  });
});

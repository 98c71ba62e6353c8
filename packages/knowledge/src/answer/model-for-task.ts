import { readFileSync } from 'node:fs';
import type { MessagesClient } from './answer-types.ts';

interface DefaultModels {
  default: string;
  tasks: Record<string, string>;
}

let defaults: DefaultModels | undefined;

/**
 * The model for one of the knowledge base's tasks: the client's routing table decides when it
 * has one (Keel's client), else the package's `default-models.json` (a copy of Keel's shipped
 * routing for these tasks: this package does not import `@keel/core`).
 */
export function modelForTask(client: MessagesClient, task: string): string {
  if (client.messages.route) return client.messages.route(task);
  defaults ??= JSON.parse(
    readFileSync(new URL('./default-models.json', import.meta.url), 'utf8'),
  ) as DefaultModels;
  return defaults.tasks[task] ?? defaults.default;
}

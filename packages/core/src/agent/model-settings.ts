import type { ThinkingConfigParam } from '@anthropic-ai/sdk/resources/messages';
import type { EffortLevel } from '@keel/models';
import type { MessagesCaller } from '../call/messages-caller.ts';
import { loadEnvironment } from '../config/load-environment.ts';
import { loadRoutingTable, type RoutingTable } from '../routing/routing-table.ts';

/**
 * Which model a building block calls, and how. Blocks ask for a `task` and the routing table
 * decides the model, so changing models is a data change; `model` is an explicit override.
 */
export interface ModelSettings {
  /**
   * What the call is for (`summarization`, `classification`, `chat`…); the caller's routing table
   * picks the model (the table's default for an unknown task). Each block documents its default.
   */
  task?: string;
  /** A model id or alias; overrides the routing of `task`. */
  model?: string;
  /** `max_tokens` per model call. */
  maxTokens?: number;
  /** Thinking configuration; thinking blocks are passed back unchanged between calls. */
  thinking?: ThinkingConfigParam;
  /** `output_config.effort`, where the model supports it. */
  effort?: EffortLevel;
  /**
   * `temperature`. Sent only where the caller's API version and the model accept it: never under
   * 2026-10-21 (the SDK's default), and only the default value on `defaults-only` models under
   * 2023-06-01. A value left out is warned about once by the caller (`sdkCaller`, `keelCaller`).
   */
  temperature?: number;
}

const shippedTables = new Map<string, RoutingTable>();

/** The shipped routing table for `KEEL_ENV`, for callers that bring no table of their own. */
function shippedRoute(task: string | undefined): string {
  const environment = loadEnvironment().environment;
  let table = shippedTables.get(environment);
  if (!table) {
    table = loadRoutingTable({ environment });
    shippedTables.set(environment, table);
  }
  return table.route(task).model;
}

/**
 * The model a block calls: `model` when given, else what the caller's routing table (or the
 * shipped one) picks for `task`, else for the block's own `defaultTask`.
 */
export function resolveModel(
  settings: Pick<ModelSettings, 'model' | 'task'>,
  caller: Pick<MessagesCaller, 'route'>,
  defaultTask?: string,
): string {
  if (settings.model !== undefined) return settings.model;
  const task = settings.task ?? defaultTask;
  return caller.route ? caller.route(task) : shippedRoute(task);
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import { ValidationError } from '@keel/errors';
import {
  routingTableSchema,
  type Environment,
  type RoutingOverride,
  type RoutingTableData,
} from './routing-schema.ts';

/** Where the shipped routing table lives. */
export const defaultRoutingTablePath = fileURLToPath(
  new URL('./routing-table.json', import.meta.url),
);

/** Task names are matched case-insensitively, with `-`, spaces and `_` treated alike. */
export function normalizeTaskName(task: string): string {
  return task
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** How a model was chosen, for logs. */
export interface RouteDecision {
  /** The chosen model. */
  model: string;
  /** The normalised task, when one was given. */
  task: string | undefined;
  /** `task` when the table names the task, `default` otherwise. */
  source: 'task' | 'default';
}

/** A validated routing table, resolved for one environment. Immutable. */
export class RoutingTable {
  readonly environment: Environment;
  readonly defaultModel: string;
  readonly #tasks: ReadonlyMap<string, string>;
  readonly #fallbacks: ReadonlyMap<string, readonly string[]>;

  constructor(data: RoutingTableData, environment: Environment, override?: RoutingOverride) {
    this.environment = environment;
    const layers = [data, data.environments?.[environment] ?? {}, override ?? {}];
    const tasks = new Map<string, string>();
    const fallbacks = new Map<string, readonly string[]>();
    let defaultModel = data.default;
    for (const layer of layers) {
      if (layer.default) defaultModel = layer.default;
      for (const [model, chain] of Object.entries(layer.fallbacks ?? {}))
        fallbacks.set(model, chain);
      for (const [task, model] of Object.entries(layer.tasks ?? {})) {
        tasks.set(normalizeTaskName(task), model);
      }
    }
    this.defaultModel = defaultModel;
    this.#tasks = tasks;
    this.#fallbacks = fallbacks;
  }

  /** The fallback chain of a model (empty when none is configured). */
  fallbacksFor(model: string): readonly string[] {
    return this.#fallbacks.get(model) ?? [];
  }

  /** The model for a task (the default model for unknown or missing tasks). */
  route(task: string | undefined): RouteDecision {
    if (task === undefined) return { model: this.defaultModel, task: undefined, source: 'default' };
    const name = normalizeTaskName(task);
    const model = this.#tasks.get(name);
    return model
      ? { model, task: name, source: 'task' }
      : { model: this.defaultModel, task: name, source: 'default' };
  }

  /** Every task and its model. */
  entries(): Array<[task: string, model: string]> {
    return [...this.#tasks];
  }
}

/** Options of `loadRoutingTable` / `parseRoutingTable`. */
export interface RoutingTableOptions {
  /** The environment whose overrides apply. Default `development`. */
  environment?: Environment;
  /** Overrides from configuration, applied last. */
  override?: RoutingOverride;
  /** Catalog the models are checked against. Default: the shipped catalog. */
  catalog?: ModelCatalog;
}

/** Validates routing data (schema and model ids); `source` names the file in errors. */
export function parseRoutingTable(
  data: unknown,
  source: string,
  options: RoutingTableOptions = {},
): RoutingTable {
  const parsed = routingTableSchema.safeParse(data);
  if (!parsed.success) {
    throw new ValidationError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const catalog = options.catalog ?? defaultModelCatalog();
  const issues: string[] = [];
  const check = (path: string, model: string | undefined) => {
    if (model !== undefined && !catalog.find(model))
      issues.push(`${path}: unknown model "${model}"`);
  };
  check('default', parsed.data.default);
  for (const [task, model] of Object.entries(parsed.data.tasks)) check(`tasks.${task}`, model);
  for (const [environment, override] of Object.entries(parsed.data.environments ?? {})) {
    check(`environments.${environment}.default`, override?.default);
    for (const [task, model] of Object.entries(override?.tasks ?? {})) {
      check(`environments.${environment}.tasks.${task}`, model);
    }
  }
  const checkChains = (path: string, chains: Record<string, string[]> | undefined) => {
    for (const [model, chain] of Object.entries(chains ?? {})) {
      check(`${path}.${model}`, model);
      chain.forEach((fallback, index) => check(`${path}.${model}[${index}]`, fallback));
    }
  };
  checkChains('fallbacks', parsed.data.fallbacks);
  for (const [environment, override] of Object.entries(parsed.data.environments ?? {})) {
    checkChains(`environments.${environment}.fallbacks`, override?.fallbacks);
  }
  checkChains('override.fallbacks', options.override?.fallbacks);
  check('override.default', options.override?.default);
  for (const [task, model] of Object.entries(options.override?.tasks ?? {})) {
    check(`override.tasks.${task}`, model);
  }
  if (issues.length > 0) throw new ValidationError(source, issues);
  return new RoutingTable(parsed.data, options.environment ?? 'development', options.override);
}

/** Loads and validates a routing table file (JSON); the shipped table by default. */
export function loadRoutingTable(
  options: RoutingTableOptions & { path?: string } = {},
): RoutingTable {
  const path = options.path ?? defaultRoutingTablePath;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ValidationError(path, [`cannot read routing table: ${(error as Error).message}`], {
      cause: error,
    });
  }
  return parseRoutingTable(data, path, options);
}

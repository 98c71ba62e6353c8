import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '@keel/errors';
import { parse as parseYaml } from 'yaml';
import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import { keelConfigSchema, type KeelConfig } from './keel-config-schema.ts';

/** File names looked for, in order. */
export const configFileNames = ['keel.config.json', 'keel.config.yaml', 'keel.config.yml'] as const;

/** Options of `loadKeelConfig`. */
export interface LoadKeelConfigOptions {
  /** The directory searched for a config file. Default: the working directory. */
  cwd?: string;
  /** An explicit file (JSON or YAML by extension). */
  path?: string;
  /** Catalog model ids are checked against. Default: the shipped catalog. */
  catalog?: ModelCatalog;
}

/** A loaded configuration and the file it came from. */
export interface LoadedKeelConfig {
  /** The validated configuration (`{}` when there is no file). */
  config: KeelConfig;
  /** The file read, or undefined when none exists. */
  path: string | undefined;
}

function issuePath(path: PropertyKey[]): string {
  return (
    path
      .map((part) => (typeof part === 'number' ? `[${part}]` : String(part)))
      .join('.')
      .replace(/\.\[/g, '[') || '(root)'
  );
}

/** Validates configuration data; `source` names the file in every error. */
export function parseKeelConfig(
  data: unknown,
  source: string,
  catalog = defaultModelCatalog(),
): KeelConfig {
  const parsed = keelConfigSchema.safeParse(data ?? {});
  if (!parsed.success) {
    throw new ValidationError(
      source,
      parsed.error.issues.map((issue) => `${issuePath(issue.path)}: ${issue.message}`),
    );
  }
  const config = parsed.data;
  const issues: string[] = [];
  const check = (path: string, model: string | undefined) => {
    if (model !== undefined && !catalog.find(model))
      issues.push(`${path}: unknown model "${model}"`);
  };
  check('routing.default', config.routing?.default);
  for (const [task, model] of Object.entries(config.routing?.tasks ?? {}))
    check(`routing.tasks.${task}`, model);
  for (const [section, chains] of [
    ['fallbacks', config.fallbacks],
    ['routing.fallbacks', config.routing?.fallbacks],
  ] as const) {
    for (const [model, chain] of Object.entries(chains ?? {})) {
      check(`${section}.${model}`, model);
      chain.forEach((fallback, index) => check(`${section}.${model}[${index}]`, fallback));
    }
  }
  if (issues.length > 0) throw new ValidationError(source, issues);
  return config;
}

/** Finds and loads `keel.config.json` / `.yaml` / `.yml`; `{}` when there is none. */
export function loadKeelConfig(options: LoadKeelConfigOptions = {}): LoadedKeelConfig {
  const cwd = options.cwd ?? process.cwd();
  const path =
    options.path ??
    configFileNames.map((name) => join(cwd, name)).find((candidate) => existsSync(candidate));
  if (!path) return { config: {}, path: undefined };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ValidationError(path, [`cannot read file: ${(error as Error).message}`], {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ValidationError(
      path,
      [`not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(error as Error).message}`],
      {
        cause: error,
      },
    );
  }
  return { config: parseKeelConfig(data, path, options.catalog), path };
}

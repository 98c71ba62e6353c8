import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { ValidationError } from '@keel/errors';
import { environmentSchema, type Environment } from '../routing/routing-schema.ts';

/** Options of `loadEnvironment`. */
export interface LoadEnvironmentOptions {
  /** The directory holding `.env`. Default: the process's working directory. */
  cwd?: string;
  /** Environment variables (they win over `.env`). Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** The file to read. Default `<cwd>/.env`; `false` to skip it. */
  envFile?: string | false;
}

/** Connection settings found in the environment. The key is held, never logged or printed. */
export interface KeelEnvironment {
  /** `ANTHROPIC_API_KEY`. */
  apiKey: string | undefined;
  /** `ANTHROPIC_BASE_URL`. */
  baseURL: string | undefined;
  /** `KEEL_ENV` (development, staging, production). Default `development`. */
  environment: Environment;
  /** Where each setting came from (for diagnostics that must not print the values). */
  sources: { apiKey?: 'env' | 'dotenv'; baseURL?: 'env' | 'dotenv' };
}

/**
 * Reads `ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL` and `KEEL_ENV` from the environment, falling
 * back to a `.env` file (parsed with Node's own `util.parseEnv`; the file never changes
 * `process.env`).
 */
export function loadEnvironment(options: LoadEnvironmentOptions = {}): KeelEnvironment {
  const env = options.env ?? process.env;
  const file =
    options.envFile === false
      ? undefined
      : (options.envFile ?? join(options.cwd ?? process.cwd(), '.env'));
  let fromFile: Record<string, string | undefined> = {};
  if (file && existsSync(file)) {
    try {
      fromFile = parseEnv(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ValidationError(file, [`cannot parse: ${(error as Error).message}`], {
        cause: error,
      });
    }
  }
  const sources: KeelEnvironment['sources'] = {};
  const pick = (name: string, field: keyof KeelEnvironment['sources']): string | undefined => {
    const fromEnv = env[name];
    if (fromEnv !== undefined && fromEnv !== '') {
      sources[field] = 'env';
      return fromEnv;
    }
    const value = fromFile[name];
    if (value !== undefined && value !== '') {
      sources[field] = 'dotenv';
      return value;
    }
    return undefined;
  };
  const apiKey = pick('ANTHROPIC_API_KEY', 'apiKey');
  const baseURL = pick('ANTHROPIC_BASE_URL', 'baseURL');
  const rawEnvironment = env.KEEL_ENV ?? fromFile.KEEL_ENV ?? 'development';
  const parsed = environmentSchema.safeParse(rawEnvironment);
  if (!parsed.success) {
    throw new ValidationError('KEEL_ENV', [
      `"${rawEnvironment}" is not one of development, staging, production`,
    ]);
  }
  if (baseURL !== undefined && !/^https?:\/\//.test(baseURL)) {
    throw new ValidationError('ANTHROPIC_BASE_URL', ['must start with http:// or https://']);
  }
  return { apiKey, baseURL, environment: parsed.data, sources };
}

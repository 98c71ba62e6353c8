import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KeelError, ValidationError } from '@keel/errors';
import { catalogFileSchema, type CatalogFile, type ModelInfo } from './model-schema.ts';

/** Raised when a model id is not in the catalog. */
export class UnknownModelError extends KeelError<
  { model: string; known: string[] },
  'unknown_model'
> {
  constructor(model: string, known: string[]) {
    super('unknown_model', `Unknown model "${model}". Known models: ${known.join(', ')}`, {
      model,
      known,
    });
  }
}

/** The models Keel knows, looked up by id or alias. Immutable once built. */
export class ModelCatalog {
  readonly models: readonly ModelInfo[];
  readonly defaults: CatalogFile['defaults'];
  readonly #byName = new Map<string, ModelInfo>();

  constructor(file: CatalogFile) {
    this.models = file.models;
    this.defaults = file.defaults;
    for (const model of file.models) {
      for (const name of [model.id, ...model.aliases]) {
        if (this.#byName.has(name)) {
          throw new ValidationError('model catalog', [`"${name}" is listed twice`]);
        }
        this.#byName.set(name, model);
      }
    }
  }

  /** The model for an id or alias, or undefined. */
  find(name: string): ModelInfo | undefined {
    return this.#byName.get(name);
  }

  /** The model for an id or alias; throws UnknownModelError when absent. */
  get(name: string): ModelInfo {
    const model = this.#byName.get(name);
    if (!model)
      throw new UnknownModelError(
        name,
        this.models.map((m) => m.id),
      );
    return model;
  }

  /**
   * True when the model no longer answers on `date` (YYYY-MM-DD): its retirement date is on or
   * before `date`, or (without a date) the catalog calls it retired.
   */
  isRetired(name: string, date: string): boolean {
    const { lifecycle } = this.get(name);
    if (lifecycle.retiresAt === null) return lifecycle.status === 'retired';
    return lifecycle.retiresAt <= date;
  }

  /**
   * True when the model may stand in a default or a fallback chain on `date`: neither retired
   * nor deprecated (a deprecated model is headed for retirement), i.e. active or legacy.
   */
  isServedWithoutNotice(name: string, date: string): boolean {
    const { lifecycle } = this.get(name);
    if (this.isRetired(name, date)) return false;
    return lifecycle.status !== 'deprecated' && lifecycle.retiresAt === null;
  }

  /** Models ordered as the API lists them: most recently released first. */
  listNewestFirst(): ModelInfo[] {
    return [...this.models].sort((a, b) => b.releasedAt.localeCompare(a.releasedAt));
  }
}

/** Validates raw catalog data; `source` names the file in error messages. */
export function parseModelCatalog(data: unknown, source = 'model catalog'): ModelCatalog {
  const parsed = catalogFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new ValidationError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return new ModelCatalog(parsed.data);
}

/** Loads and validates a catalog file (JSON). */
export function loadModelCatalog(path: string): ModelCatalog {
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
    data = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(path, [`not valid JSON: ${(error as Error).message}`], {
      cause: error,
    });
  }
  return parseModelCatalog(data, path);
}

/** Path of the catalog that ships with Keel. */
export const defaultCatalogPath = fileURLToPath(new URL('../data/models.json', import.meta.url));

let shipped: ModelCatalog | undefined;

/** The catalog that ships with Keel, loaded once. */
export function defaultModelCatalog(): ModelCatalog {
  shipped ??= loadModelCatalog(defaultCatalogPath);
  return shipped;
}

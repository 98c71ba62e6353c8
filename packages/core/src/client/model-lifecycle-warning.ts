import type { ModelCatalog } from '@keel/models';
import type { WarnOnce } from '../warnings/keel-warning.ts';

/** Options for {@link warnAboutModelLifecycle}. */
export interface ModelLifecycleWarningOptions {
  /** The model id or alias a request is about to be sent to. */
  model: string;
  catalog: ModelCatalog;
  warnings: WarnOnce;
  /** Milliseconds since the epoch (the client's clock). */
  now: number;
}

/**
 * Warns once per model when a request goes to a deprecated model (it still answers, until its
 * retirement date) or to one past its retirement date (the API answers 404 `model: <id>`, which
 * does not say why). The API itself sends no deprecation signal; the catalog's lifecycle dates,
 * each with its source, are what Keel knows.
 */
export function warnAboutModelLifecycle(options: ModelLifecycleWarningOptions): void {
  const info = options.catalog.find(options.model);
  if (!info) return;
  const { status, retiresAt } = info.lifecycle;
  const retired =
    status === 'retired' || (retiresAt !== null && Date.parse(retiresAt) <= options.now);
  if (retired) {
    options.warnings.warn(`lifecycle:retired:${info.id}`, {
      code: 'model_retired',
      message: `Keel: ${info.id} was retired${retiresAt ? ` on ${retiresAt}` : ''}; the API answers 404 for it. Move to a current model (the routing table or the model catalog lists them).`,
      details: { model: info.id, retiresAt, source: info.lifecycle.source },
    });
  } else if (status === 'deprecated') {
    options.warnings.warn(`lifecycle:deprecated:${info.id}`, {
      code: 'model_deprecated',
      message: `Keel: ${info.id} is deprecated${retiresAt ? ` and retires on ${retiresAt}` : ''}; requests to it will then fail. Move to a current model before then.`,
      details: { model: info.id, retiresAt, source: info.lifecycle.source },
    });
  }
}

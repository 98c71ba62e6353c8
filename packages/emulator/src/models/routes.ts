import type { EmulatorState } from '../emulator-state.ts';
import { ApiError, invalidRequest } from '../http/api-error.ts';
import type { Route } from '../http/router.ts';
import { sendJson } from '../http/send.ts';
import { paginate, parsePageQuery } from '../pagination/paginate.ts';
import { toApiModelInfo } from './model-info.ts';

const lifecycles = new Set(['active', 'deprecated', 'retired']);

/**
 * `GET /v1/models` (newest first, cursor-paged; active and deprecated models unless `lifecycle`
 * asks otherwise) and `GET /v1/models/{id}` (aliases resolve; retired models are still described).
 */
export function modelRoutes(state: EmulatorState): Route[] {
  const newestFirst = state.catalog.listNewestFirst();
  // Lifecycles follow the emulator's clock, so advancing it past a retirement date retires a model.
  const today = () => new Date(state.clock.now()).toISOString().slice(0, 10);
  return [
    {
      method: 'GET',
      pattern: '/v1/models',
      handler({ url, response, headers }) {
        const query = parsePageQuery(url);
        // The SDK serialises `lifecycle: [...]` as `lifecycle[]=…`; accept both spellings.
        const wanted = [
          ...url.searchParams.getAll('lifecycle'),
          ...url.searchParams.getAll('lifecycle[]'),
        ];
        for (const value of wanted) {
          if (!lifecycles.has(value)) {
            throw invalidRequest(
              `lifecycle: expected active, deprecated or retired, got "${value}"`,
            );
          }
        }
        const stages = new Set(wanted.length > 0 ? wanted : ['active', 'deprecated']);
        const date = today();
        const models = newestFirst
          .map((model) => toApiModelInfo(model, date))
          .filter((model) => stages.has(model.lifecycle));
        sendJson(
          response,
          200,
          paginate(models, (model) => model.id, query),
          headers,
        );
      },
    },
    {
      method: 'GET',
      pattern: '/v1/models/:id',
      handler({ params, response, headers }) {
        const model = state.catalog.find(params.id!);
        if (!model) throw new ApiError('not_found_error', `model: ${params.id}`);
        sendJson(response, 200, toApiModelInfo(model, today()), headers);
      },
    },
  ];
}

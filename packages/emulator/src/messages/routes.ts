import type { EmulatorState } from '../emulator-state.ts';
import { parseJsonBody, readBody } from '../http/read-body.ts';
import type { Route } from '../http/router.ts';
import { sendJson } from '../http/send.ts';
import { countInputTokens, createMessage, prepareMessageRequest } from './create-message.ts';
import { streamMessage } from './stream-message.ts';
import { countTokensRequestSchema, describeIssues } from './request-schema.ts';
import { ApiError, invalidRequest } from '../http/api-error.ts';

/** `POST /v1/messages` and `POST /v1/messages/count_tokens`. */
export function messageRoutes(state: EmulatorState): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/messages',
      async handler({ request, response, headers }) {
        const prepared = prepareMessageRequest(state, parseJsonBody(await readBody(request)));
        const scenario = request.headers['x-keel-scenario'];
        const message = createMessage(
          state,
          prepared,
          typeof scenario === 'string' ? scenario : undefined,
        );
        if (prepared.request.stream) streamMessage(response, message, headers);
        else sendJson(response, 200, message, headers);
      },
    },
    {
      method: 'POST',
      pattern: '/v1/messages/count_tokens',
      async handler({ request, response, headers }) {
        const parsed = countTokensRequestSchema.safeParse(parseJsonBody(await readBody(request)));
        if (!parsed.success) throw invalidRequest(describeIssues(parsed.error));
        if (!state.catalog.find(parsed.data.model))
          throw new ApiError('not_found_error', `model: ${parsed.data.model}`);
        sendJson(response, 200, { input_tokens: countInputTokens(parsed.data) }, headers);
      },
    },
  ];
}

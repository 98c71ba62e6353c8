import type { EmulatorState } from '../emulator-state.ts';
import { faultHeaderOf } from '../http/api-gate.ts';
import { ApiError, invalidRequest } from '../http/api-error.ts';
import { parseJsonBody, readBody } from '../http/read-body.ts';
import type { Route, RouteContext } from '../http/router.ts';
import { sendJson } from '../http/send.ts';
import { sleep } from '../latency/sleep.ts';
import { countInputTokens, createMessage, prepareMessageRequest } from './create-message.ts';
import { countTokensRequestSchema, describeIssues } from './request-schema.ts';
import { streamMessage } from './stream-message.ts';

/** The scenario a request forces with `x-keel-scenario`, if any. */
function forcedScenarioOf(context: RouteContext): string | undefined {
  const value = context.request.headers['x-keel-scenario'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Resolves when the client hangs up (false) or after `ms` (true), leaving no timer behind. */
function waitUnlessGone(context: RouteContext, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(true);
  const abort = new AbortController();
  const onClose = () => abort.abort();
  context.response.once('close', onClose);
  return sleep(ms, abort.signal).finally(() => context.response.off('close', onClose));
}

async function createMessageRoute(state: EmulatorState, context: RouteContext): Promise<void> {
  const { request, response, headers, apiKey } = context;
  const prepared = prepareMessageRequest(state, parseJsonBody(await readBody(request)));
  const streaming = prepared.request.stream === true;
  const fault = state.faults.pick({
    path: context.url.pathname,
    stage: 'response',
    streaming,
    header: faultHeaderOf(request),
  });
  try {
    state.rateLimiter.chargeInput(apiKey, prepared.inputTokens);
  } finally {
    Object.assign(headers, state.rateLimiter.headers(apiKey));
  }
  const message = createMessage(state, prepared, forcedScenarioOf(context));

  if (streaming) {
    const outcome = await streamMessage({
      response,
      message,
      headers,
      latency: state.latency,
      ...(fault ? { fault } : {}),
      ...(state.options.pingIntervalMs ? { pingIntervalMs: state.options.pingIntervalMs } : {}),
    });
    state.rateLimiter.chargeOutput(apiKey, outcome.outputTokens);
    return;
  }
  state.rateLimiter.chargeOutput(apiKey, message.usage.output_tokens);
  Object.assign(headers, state.rateLimiter.headers(apiKey));
  const delay =
    state.latency.totalMs(message.usage.output_tokens) +
    (fault?.type === 'slow_first_token' ? fault.delayMs : 0);
  if (!(await waitUnlessGone(context, delay))) return;
  sendJson(response, 200, message, headers);
}

async function countTokensRoute(state: EmulatorState, context: RouteContext): Promise<void> {
  const parsed = countTokensRequestSchema.safeParse(parseJsonBody(await readBody(context.request)));
  if (!parsed.success) throw invalidRequest(describeIssues(parsed.error));
  if (!state.catalog.find(parsed.data.model))
    throw new ApiError('not_found_error', `model: ${parsed.data.model}`);
  sendJson(context.response, 200, { input_tokens: countInputTokens(parsed.data) }, context.headers);
}

/** `POST /v1/messages` and `POST /v1/messages/count_tokens`. */
export function messageRoutes(state: EmulatorState): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/messages',
      handler: (context) => createMessageRoute(state, context),
    },
    {
      method: 'POST',
      pattern: '/v1/messages/count_tokens',
      handler: (context) => countTokensRoute(state, context),
    },
  ];
}

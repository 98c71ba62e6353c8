import type { EmulatorState } from '../emulator-state.ts';
import { faultHeaderOf } from '../http/api-gate.ts';
import { annotateRequest } from '../request-log/request-annotations.ts';
import { parseJsonBody, readBody } from '../http/read-body.ts';
import type { Route, RouteContext } from '../http/router.ts';
import { sendJson } from '../http/send.ts';
import { sleep } from '../latency/sleep.ts';
import {
  countTokensFor,
  generateMessage,
  planCache,
  prepareMessageRequest,
  type PrepareOptions,
} from './create-message.ts';
import { streamMessage } from './stream-message.ts';

/** The scenario a request forces with `x-keel-scenario`, if any. */
function forcedScenarioOf(context: RouteContext): string | undefined {
  const value = context.request.headers['x-keel-scenario'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What validation takes from the request's headers (read and checked by the listener). */
function headerOptions(context: RouteContext): PrepareOptions {
  return {
    betas: context.betas,
    ...(context.apiVersion ? { apiVersion: context.apiVersion } : {}),
  };
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
  const prepared = prepareMessageRequest(
    state,
    parseJsonBody(await readBody(request)),
    headerOptions(context),
  );
  const streaming = prepared.request.stream === true;
  annotateRequest(response, { model: prepared.request.model, stream: streaming });
  const fault = state.faults.pick({
    path: context.url.pathname,
    stage: 'response',
    streaming,
    header: faultHeaderOf(request),
  });
  if (fault) annotateRequest(response, { fault: fault.type });
  const cache = planCache(state, prepared, apiKey);
  const { usage } = cache;
  // Cache reads are free against the input-token limit; writes and uncached input are not. A
  // refusal carries its own up-to-date rate-limit headers.
  state.rateLimiter.chargeInput(
    apiKey,
    usage.inputTokens + usage.cacheWrite5mTokens + usage.cacheWrite1hTokens,
  );
  const forcedScenario = forcedScenarioOf(context);
  const { message, scenario, streamed } = generateMessage(state, prepared, usage, {
    ...(forcedScenario ? { forcedScenario } : {}),
  });
  if (scenario) {
    headers['x-keel-scenario'] = scenario;
    annotateRequest(response, { scenario });
  }
  const loggedUsage = (outputTokens: number) => ({
    input_tokens: message.usage.input_tokens,
    output_tokens: outputTokens,
    cache_creation_input_tokens: message.usage.cache_creation_input_tokens,
    cache_read_input_tokens: message.usage.cache_read_input_tokens,
  });
  cache.commit();

  if (streaming) {
    Object.assign(headers, state.rateLimiter.headers(apiKey));
    const outcome = await streamMessage({
      response,
      message,
      streamed,
      headers,
      latency: state.latency,
      ...(fault ? { fault } : {}),
      ...(state.options.pingIntervalMs ? { pingIntervalMs: state.options.pingIntervalMs } : {}),
    });
    state.rateLimiter.chargeOutput(apiKey, outcome.outputTokens);
    annotateRequest(response, { usage: loggedUsage(outcome.outputTokens) });
    return;
  }
  state.rateLimiter.chargeOutput(apiKey, message.usage.output_tokens);
  Object.assign(headers, state.rateLimiter.headers(apiKey));
  annotateRequest(response, { usage: loggedUsage(message.usage.output_tokens) });
  const delay =
    state.latency.totalMs(message.usage.output_tokens) +
    (fault?.type === 'slow_first_token' ? fault.delayMs : 0);
  if (!(await waitUnlessGone(context, delay))) return;
  sendJson(response, 200, message, headers);
}

async function countTokensRoute(state: EmulatorState, context: RouteContext): Promise<void> {
  const { inputTokens, request, contextManagement } = countTokensFor(
    state,
    parseJsonBody(await readBody(context.request)),
    headerOptions(context),
  );
  annotateRequest(context.response, { model: request.model });
  const body = contextManagement
    ? { input_tokens: inputTokens, context_management: contextManagement }
    : { input_tokens: inputTokens };
  sendJson(context.response, 200, body, context.headers);
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

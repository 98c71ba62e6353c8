import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import type { EmulatorState } from '../emulator-state.ts';
import { invalidRequest } from '../http/api-error.ts';
import { parseJsonBody, readBody } from '../http/read-body.ts';
import type { Route } from '../http/router.ts';
import { sendJson } from '../http/send.ts';
import { describeIssues } from '../messages/request-schema.ts';
import { scenarioSchema } from '../responder/scenario-schema.ts';
import { clockAdvanceSchema, faultRulesSchema, rateLimitsSchema } from './admin-schemas.ts';

/** Admin bodies are small configuration documents. */
const maxAdminBodyBytes = 1024 * 1024;

async function readValid<Schema extends z.ZodType>(
  request: IncomingMessage,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const parsed = schema.safeParse(parseJsonBody(await readBody(request, maxAdminBodyBytes)));
  if (!parsed.success) throw invalidRequest(describeIssues(parsed.error));
  return parsed.data;
}

interface Advanceable {
  advance(ms: number): void;
}

function isAdvanceable(clock: object): clock is Advanceable {
  return typeof (clock as Partial<Advanceable>).advance === 'function';
}

function clockBody(state: EmulatorState) {
  const nowMs = state.clock.now();
  return { now: new Date(nowMs).toISOString(), nowMs, adjustable: isAdvanceable(state.clock) };
}

/**
 * The emulator's own control surface under `/_emulator/` (a prefix the real API never uses):
 * inspect the request log, reset the prompt cache, move the clock, swap faults, limits and
 * scenarios. Admin routes need no API key and are never faulted or rate-limited.
 */
export function adminRoutes(state: EmulatorState): Route[] {
  const startedAt = Date.now();
  const admin = (route: Omit<Route, 'admin'>): Route => ({ ...route, admin: true });
  return [
    admin({
      method: 'GET',
      pattern: '/_emulator/health',
      handler({ response, headers }) {
        sendJson(
          response,
          200,
          {
            status: 'ok',
            uptimeMs: Date.now() - startedAt,
            mode: state.options.recordReplay?.mode ?? 'emulate',
          },
          headers,
        );
      },
    }),
    admin({
      method: 'GET',
      pattern: '/_emulator/requests',
      handler({ url, response, headers }) {
        const raw = url.searchParams.get('limit');
        const limit = raw === null ? undefined : Number(raw);
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
          throw invalidRequest(`limit: expected a positive integer, got "${raw}"`);
        }
        sendJson(response, 200, { data: state.requestLog.list(limit) }, headers);
      },
    }),
    admin({
      method: 'DELETE',
      pattern: '/_emulator/requests',
      handler({ response, headers }) {
        const cleared = state.requestLog.size;
        state.requestLog.clear();
        sendJson(response, 200, { cleared }, headers);
      },
    }),
    admin({
      method: 'POST',
      pattern: '/_emulator/cache/reset',
      handler({ response, headers }) {
        state.promptCache.clear();
        sendJson(response, 200, { reset: true }, headers);
      },
    }),
    admin({
      method: 'GET',
      pattern: '/_emulator/clock',
      handler({ response, headers }) {
        sendJson(response, 200, clockBody(state), headers);
      },
    }),
    admin({
      method: 'POST',
      pattern: '/_emulator/clock/advance',
      async handler({ request, response, headers }) {
        const { ms } = await readValid(request, clockAdvanceSchema);
        if (!isAdvanceable(state.clock)) {
          throw invalidRequest(
            'the clock cannot be advanced: this emulator was started with a custom clock that has no advance(ms) method',
          );
        }
        state.clock.advance(ms);
        // Expiries and due batches take effect at once, not at the next poll.
        state.batches.settle();
        sendJson(response, 200, clockBody(state), headers);
      },
    }),
    admin({
      method: 'GET',
      pattern: '/_emulator/faults',
      handler({ response, headers }) {
        sendJson(response, 200, state.faults.rules(), headers);
      },
    }),
    admin({
      method: 'PUT',
      pattern: '/_emulator/faults',
      async handler({ request, response, headers }) {
        state.faults.setRules(await readValid(request, faultRulesSchema));
        sendJson(response, 200, state.faults.rules(), headers);
      },
    }),
    admin({
      method: 'PUT',
      pattern: '/_emulator/rate-limits',
      async handler({ request, response, headers }) {
        const limits = await readValid(request, rateLimitsSchema);
        state.rateLimiter.configure(limits);
        sendJson(response, 200, state.rateLimiter.limits(), headers);
      },
    }),
    admin({
      method: 'GET',
      pattern: '/_emulator/scenarios',
      handler({ response, headers }) {
        sendJson(response, 200, state.scenarios.list(), headers);
      },
    }),
    admin({
      method: 'POST',
      pattern: '/_emulator/scenarios',
      async handler({ request, response, headers }) {
        const scenario = await readValid(request, scenarioSchema);
        state.scenarios.add(scenario);
        sendJson(response, 201, { name: scenario.name }, headers);
      },
    }),
    admin({
      method: 'DELETE',
      pattern: '/_emulator/scenarios',
      handler({ response, headers }) {
        state.scenarios.clear();
        sendJson(response, 200, { cleared: true }, headers);
      },
    }),
  ];
}

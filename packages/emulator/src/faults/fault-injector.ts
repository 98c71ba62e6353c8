import type { FaultRule, FaultType } from '../emulator-options.ts';
import type { SeededRandom } from '../seeded-random.ts';
import { parseFaultHeader } from './fault-header.ts';
import { streamOnlyFaults } from './fault-types.ts';

/** Where in a request's life a fault can strike. */
type FaultStage =
  /** Before the body is read: an error status or a reset connection instead of any answer. */
  | 'gate'
  /** While answering: a slow first token, or a broken stream. */
  | 'response';

const stageOf: Record<FaultType, FaultStage> = {
  rate_limit: 'gate',
  api_error: 'gate',
  overloaded: 'gate',
  invalid_request: 'gate',
  request_too_large: 'gate',
  connection_reset: 'gate',
  slow_first_token: 'response',
  stream_error: 'response',
  stream_cut: 'response',
};

/** A fault chosen for one request. */
export interface ActiveFault {
  /** Which failure. */
  type: FaultType;
  /** For `slow_first_token`: the extra delay before the first token, ms. */
  delayMs: number;
  /** For `stream_error` / `stream_cut`: output tokens streamed before the failure. */
  afterTokens: number;
  /** For `rate_limit`: the `retry-after` value, whole seconds. */
  retryAfterSeconds: number;
}

/** What a fault decision needs to know about the request. */
export interface FaultQuery {
  /** The request path, e.g. `/v1/messages`. */
  path: string;
  /** The stage being decided. */
  stage: FaultStage;
  /** Whether the request asked for a stream (unknown at the gate, where it does not matter). */
  streaming: boolean;
  /** The raw `x-keel-fault` header, if any: it overrides the rules for this request. */
  header?: string;
}

interface RuleState {
  rule: FaultRule;
  /** How many more times the rule may fire; Infinity when it has no count. */
  remaining: number;
  /** How many more matching requests pass before it may fire. */
  toSkip: number;
}

const defaultPath = '/v1/messages';

function activate(rule: FaultRule): ActiveFault {
  return {
    type: rule.type,
    delayMs: Math.max(0, rule.delayMs ?? 0),
    afterTokens: Math.max(0, Math.floor(rule.afterTokens ?? 0)),
    retryAfterSeconds: Math.max(1, Math.ceil(rule.retryAfterSeconds ?? 1)),
  };
}

/**
 * Decides which injected fault, if any, hits a request. Rules are checked in order; the first that
 * matches the path and stage and wins its seeded dice roll fires, so a given seed and request
 * sequence always fails the same way. Admin paths (`/_emulator/…`) are never faulted.
 */
export class FaultInjector {
  #rules: RuleState[] = [];

  constructor(
    rules: FaultRule[] | undefined,
    private readonly random: SeededRandom,
  ) {
    this.setRules(rules ?? []);
  }

  /** Replaces the active rules; counts start afresh. */
  setRules(rules: FaultRule[]): void {
    this.#rules = rules.map((rule) => ({
      rule: { ...rule },
      remaining: rule.count === undefined ? Infinity : Math.max(0, Math.floor(rule.count)),
      toSkip: Math.max(0, Math.floor(rule.skip ?? 0)),
    }));
  }

  /** The active rules, with `count` and `skip` showing what is left of each. */
  rules(): FaultRule[] {
    return this.#rules.map(({ rule, remaining, toSkip }) => ({
      ...rule,
      ...(remaining === Infinity ? {} : { count: remaining }),
      ...(rule.skip === undefined ? {} : { skip: toSkip }),
    }));
  }

  /** The fault for this request at this stage, or undefined. Consumes a rule's count when it fires. */
  pick(query: FaultQuery): ActiveFault | undefined {
    if (query.path.startsWith('/_emulator/')) return undefined;
    if (query.header !== undefined && query.header.trim() !== '') {
      const rule = parseFaultHeader(query.header);
      return this.#applies(rule, query) ? activate(rule) : undefined;
    }
    for (const state of this.#rules) {
      if (state.remaining <= 0) continue;
      if (!query.path.startsWith(state.rule.path ?? defaultPath)) continue;
      if (!this.#applies(state.rule, query)) continue;
      if (state.toSkip > 0) {
        state.toSkip -= 1;
        continue;
      }
      const rate = state.rule.rate ?? 1;
      if (rate < 1 && this.random.next() >= rate) continue;
      state.remaining -= 1;
      return activate(state.rule);
    }
    return undefined;
  }

  #applies(rule: FaultRule, query: FaultQuery): boolean {
    if (stageOf[rule.type] !== query.stage) return false;
    return !(streamOnlyFaults.has(rule.type) && !query.streaming);
  }
}

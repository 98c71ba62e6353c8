import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import { AdjustableClock, type Clock } from './clock.ts';
import type { EmulatorOptions } from './emulator-options.ts';
import { randomIdGenerator, type IdGenerator } from './ids.ts';
import { SeededRandom } from './seeded-random.ts';
import { defaultResponder } from './responder/default-responder.ts';
import type { Responder } from './responder/reply.ts';
import { ScenarioRegistry } from './responder/scenario-registry.ts';
import { scenarioResponder } from './responder/scenario-responder.ts';
import { FaultInjector } from './faults/fault-injector.ts';
import { RateLimiter } from './rate-limit/rate-limiter.ts';
import { PromptCache } from './caching/prompt-cache.ts';
import { LatencyModel } from './latency/latency-model.ts';
import { BatchStore } from './batches/batch-store.ts';
import { processMessageRequest } from './messages/create-message.ts';
import { RequestLog } from './request-log/request-log.ts';

/** Everything one emulator instance knows. Each module owns its own part. */
export class EmulatorState {
  readonly options: EmulatorOptions;
  readonly catalog: ModelCatalog;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly random: SeededRandom;
  responder: Responder;
  /** Scripted replies, consulted before the deterministic responder. */
  readonly scenarios: ScenarioRegistry;
  /** Injected failures: configured at start, per request by header, or replaced at run time. */
  readonly faults: FaultInjector;
  /** Per-key request and token buckets. */
  readonly rateLimiter: RateLimiter;
  /** Cached prompt prefixes per key. */
  readonly promptCache: PromptCache;
  /** Time to first token and output speed. */
  latency: LatencyModel;
  /** Message Batches, per API key. */
  readonly batches: BatchStore;
  /** The last served requests, for the admin API. */
  readonly requestLog: RequestLog;

  constructor(options: EmulatorOptions) {
    this.options = options;
    this.catalog = options.catalog ?? defaultModelCatalog();
    this.clock = options.clock ?? new AdjustableClock();
    this.ids = options.ids ?? randomIdGenerator();
    this.random = new SeededRandom(options.seed ?? 1);
    this.scenarios = new ScenarioRegistry({ scenarios: options.scenarios ?? [] });
    this.responder = scenarioResponder({ registry: this.scenarios, fallback: defaultResponder });
    this.faults = new FaultInjector(options.faults, this.random);
    this.rateLimiter = new RateLimiter(options.rateLimits, this.clock);
    this.promptCache = new PromptCache(this.clock);
    this.latency = new LatencyModel(options.latency);
    this.batches = new BatchStore({
      clock: this.clock,
      ids: this.ids,
      processingDelayMs: options.batchProcessingDelayMs ?? 0,
      resultOrder: options.batchResultOrder ?? 'shuffled',
      seed: options.seed ?? 1,
      process: (params, apiKey, context) =>
        processMessageRequest(this, params, { apiKey, serviceTier: 'batch', ...context }),
    });
    this.requestLog = new RequestLog();
  }
}

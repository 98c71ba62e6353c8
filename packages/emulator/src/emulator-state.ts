import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import { AdjustableClock, type Clock } from './clock.ts';
import type { EmulatorOptions } from './emulator-options.ts';
import { randomIdGenerator, type IdGenerator } from './ids.ts';
import { SeededRandom } from './seeded-random.ts';
import { defaultResponder } from './responder/default-responder.ts';
import type { Responder } from './responder/reply.ts';

/** Everything one emulator instance knows. Each module owns its own part. */
export class EmulatorState {
  readonly options: EmulatorOptions;
  readonly catalog: ModelCatalog;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly random: SeededRandom;
  responder: Responder;

  constructor(options: EmulatorOptions) {
    this.options = options;
    this.catalog = options.catalog ?? defaultModelCatalog();
    this.clock = options.clock ?? new AdjustableClock();
    this.ids = options.ids ?? randomIdGenerator();
    this.random = new SeededRandom(options.seed ?? 1);
    this.responder = defaultResponder;
  }
}

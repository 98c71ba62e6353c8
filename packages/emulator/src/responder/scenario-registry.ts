import type { MessageRequest } from '../messages/request-schema.ts';
import { loadScenarioFile, parseScenarios } from './load-scenario-file.ts';
import type { Scenario, ScenarioReply } from './scenario.ts';
import { scenarioMatches } from './scenario-match.ts';

/** Options for {@link ScenarioRegistry}. */
export interface ScenarioRegistryOptions {
  /** Scenario file paths (YAML or JSON) and inline scenarios, registered in order. */
  scenarios?: ReadonlyArray<string | Scenario>;
}

/** The scenario chosen for a request and the reply it gives this time. */
export interface ScenarioTurn {
  scenario: Scenario;
  reply: ScenarioReply;
  /** 0 for the scenario's first reply; counts every request the scenario answered. */
  turn: number;
}

/**
 * The scenarios of one emulator. Each scenario's replies are used in turn, one per request it
 * answers, the last repeating; adding a scenario with an existing name replaces it and restarts
 * its replies, and `clear()` removes every scenario and its count.
 */
export class ScenarioRegistry {
  #scenarios: Scenario[] = [];
  readonly #turns = new Map<string, number>();

  constructor(options: ScenarioRegistryOptions = {}) {
    for (const entry of options.scenarios ?? []) {
      if (typeof entry === 'string') this.loadFile(entry);
      else this.add(entry);
    }
  }

  /** Registers a scenario (validated; ValidationError when malformed). */
  add(scenario: Scenario): void {
    const [valid] = parseScenarios(scenario, `scenario ${JSON.stringify(scenario?.name ?? '')}`);
    const at = this.#scenarios.findIndex((existing) => existing.name === valid!.name);
    if (at === -1) this.#scenarios.push(valid!);
    else this.#scenarios[at] = valid!;
    this.#turns.delete(valid!.name);
  }

  /** Removes every scenario and resets every reply counter. */
  clear(): void {
    this.#scenarios = [];
    this.#turns.clear();
  }

  /** Starts every scenario's replies again from the first, keeping the scenarios. */
  resetTurns(): void {
    this.#turns.clear();
  }

  /** The registered scenarios, in order. */
  list(): Scenario[] {
    return this.#scenarios.map((scenario) => structuredClone(scenario));
  }

  /** Reads a YAML or JSON file of scenarios and registers them (see `loadScenarioFile`). */
  loadFile(path: string): void {
    for (const scenario of loadScenarioFile(path)) this.add(scenario);
  }

  /** The scenario of that name, if registered. */
  find(name: string): Scenario | undefined {
    return this.#scenarios.find((scenario) => scenario.name === name);
  }

  /** The first scenario (not forced-only) whose match fits the request. */
  match(request: MessageRequest, modelId?: string): Scenario | undefined {
    return this.#scenarios.find(
      (scenario) => !scenario.forcedOnly && scenarioMatches(scenario.match, request, modelId),
    );
  }

  /** Takes the scenario's next reply and advances its counter. */
  take(scenario: Scenario): ScenarioTurn {
    const turn = this.#turns.get(scenario.name) ?? 0;
    this.#turns.set(scenario.name, turn + 1);
    const reply = scenario.replies[Math.min(turn, scenario.replies.length - 1)]!;
    return { scenario, reply, turn };
  }
}

/** Something a caller should know that does not stop the work: a setting that has no effect. */
export interface KeelWarning {
  /** Stable, machine-readable identifier. */
  code: KeelWarningCode;
  /** One sentence: what happens, why, and what to do. */
  message: string;
  /** Structured facts (model, API version, parameters, file). */
  details: Record<string, unknown>;
}

export type KeelWarningCode =
  /** A call's temperature/top_p/top_k is left out: the API version or model rejects it. */
  | 'sampling_parameters_dropped'
  /** A prompt file sets sampling parameters its model and API version will not accept. */
  | 'prompt_sampling_parameters_ignored'
  /** A request goes to a deprecated model: it answers until its retirement date. */
  | 'model_deprecated'
  /** A request goes to a model past its retirement date: the API answers 404. */
  | 'model_retired';

/** Receives warnings. */
export type WarningListener = (warning: KeelWarning) => void;

/**
 * The default listener: Node's own warning channel (`process.emitWarning`), printed on stderr
 * unless the process runs with `--no-warnings`, and observable with `process.on('warning')`
 * (`name` is `KeelWarning`, `code` the warning's code).
 */
export const processWarningListener: WarningListener = (warning) => {
  process.emitWarning(warning.message, { type: 'KeelWarning', code: warning.code });
};

/** Keys already given to Node's channel: once per process, however many callers are built. */
const processSeen = new Set<string>();

/**
 * Passes each distinct warning (by key) to a listener once. With no listener, warnings go to
 * Node's channel once per process, so code that builds a caller per request is not noisy.
 */
export class WarnOnce {
  readonly #listener: WarningListener;
  readonly #seen: Set<string>;

  constructor(listener?: WarningListener) {
    this.#listener = listener ?? processWarningListener;
    this.#seen = listener ? new Set<string>() : processSeen;
  }

  /** Hands the warning on unless one with this key was already given; a throwing listener is ignored. */
  warn(key: string, warning: KeelWarning): void {
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    try {
      this.#listener(warning);
    } catch {
      // A warning must never break the call it is about.
    }
  }
}

import { KeelError } from '@keel/errors';

/** Facts about a call refused because every model's circuit is open. */
export interface CircuitOpenErrorDetails {
  /** The models whose breakers refused the call. */
  models: string[];
  /** The earliest time a probe will be let through, ms since the epoch. */
  retryAt: number | undefined;
}

/** Every model in the chain has an open circuit: the call was not sent. */
export class CircuitOpenError extends KeelError<CircuitOpenErrorDetails, 'circuit_open'> {
  constructor(details: CircuitOpenErrorDetails) {
    super(
      'circuit_open',
      `Circuit open for ${details.models.join(', ')}; not sending the call`,
      details,
    );
  }
}

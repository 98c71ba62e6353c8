import type { FaultType } from '../emulator-options.ts';

/**
 * Every fault the emulator can inject, in one list: the `x-keel-fault` header, the admin API's
 * schema, the CLI's `--fault` flag and chaos suites (the assistant's fault matrix) read it, so a
 * new fault is known everywhere at once.
 */
export const faultTypes = [
  'rate_limit',
  'api_error',
  'overloaded',
  'invalid_request',
  'request_too_large',
  'connection_reset',
  'slow_first_token',
  'stream_error',
  'stream_cut',
] as const satisfies readonly FaultType[];

/** Faults that only exist inside an SSE stream: a request without `stream: true` never gets them. */
export const streamOnlyFaults: ReadonlySet<FaultType> = new Set<FaultType>([
  'stream_error',
  'stream_cut',
]);

// Fails to compile when FaultType gains a member this list lacks.
type Missing = Exclude<FaultType, (typeof faultTypes)[number]>;
const complete: [Missing] extends [never] ? true : never = true;
void complete;

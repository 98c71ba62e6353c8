import { KeelError } from '@keel/errors';

/**
 * True when a request failed because its client went away (a cancelled upload, a closed tab):
 * Node's adapter aborts the request's signal when the connection closes before the response,
 * and reading the rest of the body then fails. Such a request is the client's decision, not a
 * server error, so it is logged as `client_aborted` at info level, without a stack.
 */
export function isClientAbort(error: unknown, signal: AbortSignal): boolean {
  if (KeelError.is(error)) return false;
  return signal.aborted;
}

import type { CallResult } from '../call/call-result.ts';
import type { PreparedCall } from './prepare-call.ts';
import { TruncatedOutputError } from './truncated-output-error.ts';

/**
 * The call's truncation policy, applied after the call was reported (a cut-off answer is a
 * success in the ledger: it was served and billed): `error` (the default) throws
 * `TruncatedOutputError`, `return` hands the result back with `truncated: true`.
 */
export function applyTruncationPolicy(prepared: PreparedCall, result: CallResult): CallResult {
  if (result.truncated && prepared.onTruncation === 'error') {
    throw new TruncatedOutputError(result, prepared.request.max_tokens);
  }
  return result;
}

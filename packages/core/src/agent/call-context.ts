import type { CallTags } from '../call/call-tags.ts';
import type { Principal, ToolLogger } from '../tools/tool-context.ts';

/** Who a block's calls are for and how they can be stopped; passed on to every model call. */
export interface CallContext {
  /** Aborts the work: the model call in flight and running tools. */
  signal?: AbortSignal;
  /** Extra HTTP headers on every call (for example `x-keel-scenario` against the emulator). */
  headers?: Record<string, string>;
  /** Recorded on every call by callers that keep a ledger (e.g. a rendered prompt's `tags`). */
  tags?: CallTags;
  /** The authenticated user, handed to every tool. Never derived from the conversation. */
  principal?: Principal;
  /** Logger for the block and its tools. */
  logger?: ToolLogger;
}

/** The per-call options of a {@link CallContext}, as `MessagesCaller` takes them. */
export function callOptionsOf(context: CallContext, signal = context.signal) {
  return {
    ...(signal ? { signal } : {}),
    ...(context.headers ? { headers: context.headers } : {}),
    ...(context.tags ? { tags: context.tags } : {}),
  };
}

import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages/messages';
import type { SamplingParameters } from '../call/sampling-parameters.ts';

/**
 * A Messages API request as the SDK types it, except that `model` may be left out when `task`
 * names a routed task (the routing table picks the model), and `stream` is decided by the method.
 * The sampling fields (`temperature`, `top_p`, `top_k`), gone from the SDK's types with API
 * version 2026-10-21, are accepted and sent only where the version and model take them; a
 * non-default value left out is warned about once (see `sampling-parameters.ts`).
 */
export type KeelRequest = Omit<MessageCreateParamsBase, 'model' | 'stream'> &
  SamplingParameters & {
    /** The model to call. When absent, the routing table's model for `task` (or its default). */
    model?: MessageCreateParamsBase['model'];
    /** A task name the routing table maps to a model, e.g. `classification`. */
    task?: string;
  };

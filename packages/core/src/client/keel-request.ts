import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages/messages';

/**
 * A Messages API request as the SDK types it, except that `model` may be left out when `task`
 * names a routed task (the routing table picks the model), and `stream` is decided by the method.
 */
export type KeelRequest = Omit<MessageCreateParamsBase, 'model' | 'stream'> & {
  /** The model to call. When absent, the routing table's model for `task` (or its default). */
  model?: MessageCreateParamsBase['model'];
  /** A task name the routing table maps to a model, e.g. `classification`. */
  task?: string;
};

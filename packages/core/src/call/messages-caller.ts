// The caller interface is shared with @keel/knowledge, which does not import core: it is defined
// once in @keel/protocol.
export type {
  MessagesCallOptions,
  MessagesCaller,
  MessagesRequest,
  MessagesStream,
} from '@keel/protocol';

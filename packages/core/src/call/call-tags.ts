// Defined once in @keel/protocol, with the caller interface that carries them.
export type { CallTags } from '@keel/protocol';

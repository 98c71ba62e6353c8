// Defined once in @keel/protocol, with the request type of the caller interface.
export type { SamplingParameters } from '@keel/protocol';

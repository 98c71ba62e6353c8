import { KeelError } from '@keel/errors';

/** A stream closed before `message_stop`: the connection dropped (classified as `connection`). */
export class StreamEndedEarlyError extends KeelError<{ model: string }, 'stream_ended_early'> {
  constructor(model: string) {
    super('stream_ended_early', `The stream from ${model} ended before message_stop`, { model });
  }
}

import { KeelError } from '@keel/errors';

/**
 * A turn that ran past the configured deadline (`timeouts.turnMs`): its signal is aborted with
 * this error, the answer so far is kept as incomplete, what it spent is still charged, and the
 * user sees this message.
 */
export class TurnDeadlineError extends KeelError<{ turnMs: number }, 'turn_deadline_exceeded'> {
  constructor(turnMs: number) {
    super(
      'turn_deadline_exceeded',
      `The answer took longer than ${Math.round(turnMs / 1000)} s and was stopped; what it had written so far is kept. Send your message again, perhaps asking for something shorter.`,
      { turnMs },
    );
  }
}

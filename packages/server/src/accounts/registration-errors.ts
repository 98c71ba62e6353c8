import { KeelError } from '@keel/errors';

/** `registration.mode: closed`: accounts are made by the operator, not by visitors. */
export class RegistrationClosedError extends KeelError<
  Record<string, never>,
  'registration_closed'
> {
  constructor() {
    super(
      'registration_closed',
      'Registration is closed on this server; ask its operator for an account',
      {},
    );
  }
}

/** `registration.mode: invite` and no invite code, or one that is unknown, used or expired. */
export class InviteRequiredError extends KeelError<
  { reason: 'missing' | 'invalid' },
  'invite_required'
> {
  constructor(reason: 'missing' | 'invalid') {
    super(
      'invite_required',
      reason === 'missing'
        ? 'Registration needs an invite code; ask an administrator for one'
        : 'This invite code is not valid (it may be used or expired); ask an administrator for a new one',
      { reason },
    );
  }
}

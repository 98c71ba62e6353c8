import { KeelError } from '@keel/errors';

/** No valid credentials: missing, unknown or expired token, or a wrong password. */
export class UnauthenticatedError extends KeelError<{ reason: string }, 'unauthenticated'> {
  constructor(reason: string) {
    super('unauthenticated', 'Sign in first: the request carries no valid credentials', { reason });
  }
}

/** The caller is signed in but lacks the role the action needs. */
export class ForbiddenError extends KeelError<{ requiredRole: string }, 'forbidden'> {
  constructor(requiredRole: string) {
    super('forbidden', `This needs the ${requiredRole} role`, { requiredRole });
  }
}

/**
 * Registration with an email that already has an account. The message neither names the email nor
 * says it is taken; the email stays in the structured fields for logs, not in what the user sees.
 */
export class AccountExistsError extends KeelError<{ email: string }, 'account_exists'> {
  constructor(email: string) {
    super(
      'account_exists',
      'Registration could not be completed with these details; if you already have an account, sign in',
      { email },
    );
  }
}

import { useState, type SubmitEvent } from 'react';
import type { Account, RegistrationMode } from '../api/api-types.ts';
import type { TurnError } from '../chat/chat-turn.ts';
import { describeFrontDoorError } from '../chat/describe-front-door-error.ts';
import { useApi } from './api-context.ts';
import { ErrorNotice } from './error-notice.tsx';
import { toTurnError } from './to-turn-error.ts';

/**
 * Whether to ask for an invite code: when the server says registration needs one, or when it
 * refused a registration for the lack of one (its mode changed since the page loaded).
 */
export function wantsInviteCode(mode: RegistrationMode, error: TurnError | undefined): boolean {
  return mode === 'invite' || error?.code === 'invite_required';
}

/** Create-an-account form; signs in to the new account. Not shown when registration is closed. */
export function RegisterForm({
  mode,
  onRegistered,
}: {
  /** The server's registration mode (`GET /api/status`). */
  mode: RegistrationMode;
  onRegistered: (account: Account) => void;
}) {
  const api = useApi();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [inviteCode, setInviteCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<TurnError | undefined>();
  const askInvite = wantsInviteCode(mode, error);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const code = inviteCode.trim();
      onRegistered(
        await api.register({ displayName, email, password, ...(code ? { inviteCode: code } : {}) }),
      );
    } catch (caught) {
      setError(toTurnError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(event) => void submit(event)}
      className="login-form"
      aria-label="Create an account"
    >
      <label htmlFor="register-name">Your name</label>
      <input
        id="register-name"
        autoComplete="name"
        required
        maxLength={100}
        value={displayName}
        onChange={(event) => setDisplayName(event.target.value)}
      />
      <label htmlFor="register-email">Email</label>
      <input
        id="register-email"
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <label htmlFor="register-password">Password (at least 8 characters)</label>
      <input
        id="register-password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        maxLength={200}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      {askInvite ? (
        <>
          <label htmlFor="register-invite">Invite code</label>
          <input
            id="register-invite"
            autoComplete="off"
            required
            value={inviteCode}
            onChange={(event) => setInviteCode(event.target.value)}
          />
        </>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Creating account…' : 'Create account'}
      </button>
      {error ? <ErrorNotice error={error} description={describeFrontDoorError(error)} /> : null}
    </form>
  );
}

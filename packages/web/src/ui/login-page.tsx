import { useState, type SubmitEvent } from 'react';
import { ApiError } from '../api/api-error.ts';
import type { Account, ServerStatus } from '../api/api-types.ts';
import type { TurnError } from '../chat/chat-turn.ts';
import { describeFrontDoorError } from '../chat/describe-front-door-error.ts';
import { useApi } from './api-context.ts';
import { ErrorNotice } from './error-notice.tsx';
import { RegisterForm } from './register-form.tsx';
import { toTurnError } from './to-turn-error.ts';

/**
 * Sign-in form, and account creation as the server's registration mode allows (with an invite
 * code field in `invite` mode); in demo mode it lists the demo accounts, one click to use each.
 */
export function LoginPage({
  status,
  onLoggedIn,
}: {
  status: ServerStatus | undefined;
  onLoggedIn: (account: Account) => void;
}) {
  const api = useApi();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<TurnError | undefined>();
  const [registering, setRegistering] = useState(false);
  const registration = status?.registration?.mode ?? 'open';

  const login = async (withEmail: string, withPassword: string) => {
    setBusy(true);
    setError(undefined);
    try {
      onLoggedIn(await api.login(withEmail, withPassword));
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.code === 'unauthenticated'
          ? { code: 'login_failed', message: 'That email and password do not match an account.' }
          : toTurnError(caught),
      );
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void login(email, password);
  };

  return (
    <main className="login" aria-labelledby="login-title">
      <h1 id="login-title">{status?.name ?? 'Keel assistant'}</h1>
      {registering && registration !== 'closed' ? (
        <>
          <RegisterForm mode={registration} onRegistered={onLoggedIn} />
          <p className="login-switch">
            Have an account?{' '}
            <button type="button" className="link-button" onClick={() => setRegistering(false)}>
              Sign in
            </button>
          </p>
        </>
      ) : (
        <>
          <form onSubmit={submit} className="login-form" aria-label="Sign in">
            <label htmlFor="login-email">Email</label>
            <input
              id="login-email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
            <label htmlFor="login-password">Password</label>
            <input
              id="login-password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
            {error ? (
              <ErrorNotice error={error} description={describeFrontDoorError(error)} />
            ) : null}
          </form>
          {registration === 'closed' ? (
            <p className="login-switch">New accounts are made by whoever runs this assistant.</p>
          ) : (
            <p className="login-switch">
              New here?{' '}
              <button type="button" className="link-button" onClick={() => setRegistering(true)}>
                Create an account
              </button>
              {registration === 'invite' ? ' (you need an invite code)' : null}
            </p>
          )}
        </>
      )}
      {status?.demo && status.demo.accounts.length > 0 ? (
        <section className="demo-accounts" aria-labelledby="demo-title">
          <h2 id="demo-title">Demo accounts</h2>
          <p>This is a demo store: these logins are public and only see fake orders.</p>
          <ul>
            {status.demo.accounts.map((account) => (
              <li key={account.email}>
                <span>
                  <strong>{account.displayName}</strong> ({account.role})<br />
                  <code>{account.email}</code> / <code>{account.password}</code>
                </span>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => {
                    setRegistering(false);
                    setEmail(account.email);
                    setPassword(account.password);
                    void login(account.email, account.password);
                  }}
                >
                  Sign in as {account.displayName}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}

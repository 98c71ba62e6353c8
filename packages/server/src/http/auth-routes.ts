import type { Context, Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { AssistantRuntime } from '../app/assistant-runtime.ts';
import type { Account } from '../accounts/account-store.ts';
import { inviteBody, loginBody, registerBody, tokenBody } from './api-schemas.ts';
import {
  authenticate,
  authenticateAdmin,
  requestToken,
  sessionCookieName,
} from './authenticate.ts';
import { readBody } from './read-body.ts';
import { KeelError } from '@keel/errors';
import { InviteStore } from '../accounts/invite-store.ts';
import { InviteRequiredError, RegistrationClosedError } from '../accounts/registration-errors.ts';
import './request-context.ts';

// Set for every request by the app's first middleware; in-process requests have no socket.
function clientAddress(c: Context): string {
  return c.get('requestOrigin')?.address ?? 'unknown';
}

/** The public view of an account. */
function accountView(account: Account) {
  return {
    id: account.id,
    email: account.email,
    displayName: account.displayName,
    role: account.role,
  };
}

/** Register, log in and out, who am I, API tokens, invites. */
export function authRoutes(app: Hono, runtime: AssistantRuntime): void {
  const { accounts } = runtime;
  const { registration } = runtime.config;
  const { loginByAccount, loginByAddress } = runtime.throttles;
  const invites = new InviteStore({ storage: runtime.storage });

  const startSession = async (c: Context, account: Account) => {
    const issued = await accounts.issueToken(account.id, 'session', 'browser');
    setCookie(c, sessionCookieName, issued.token, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      // TLS to us, or to a trusted proxy that says so (`http.trustProxy`).
      secure: c.get('requestOrigin')?.secure ?? new URL(c.req.url).protocol === 'https:',
      ...(issued.expiresAtMs ? { expires: new Date(issued.expiresAtMs) } : {}),
    });
  };

  app.post('/api/auth/register', async (c) => {
    if (registration.mode === 'closed') throw new RegistrationClosedError();
    // Counted before any work (scrypt, the database), failed attempts included.
    await runtime.throttles.registration.hit(clientAddress(c));
    const { inviteCode, ...body } = await readBody(c, registerBody, 'registration');
    if (registration.mode === 'invite') {
      if (!inviteCode) throw new InviteRequiredError('missing');
      if (!(await invites.claim(inviteCode))) throw new InviteRequiredError('invalid');
    }
    let account: Account;
    try {
      account = await accounts.create({ ...body, role: 'customer' });
    } catch (error) {
      // A refused registration (say, a taken email) does not use up the invite.
      if (inviteCode && registration.mode === 'invite') await invites.release(inviteCode);
      throw error;
    }
    if (inviteCode && registration.mode === 'invite')
      await invites.markUsed(inviteCode, account.id);
    await startSession(c, account);
    return c.json({ account: accountView(account) }, 201);
  });

  app.post('/api/invites', async (c) => {
    const admin = await authenticateAdmin(c, accounts);
    const body = await readBody(c, inviteBody, 'invite');
    const hours = body.expiresInHours ?? registration.inviteTtlHours;
    const invite = await invites.create({ createdBy: admin.id, ttlMs: hours * 3600_000 });
    return c.json({ code: invite.code, expiresAtMs: invite.expiresAtMs }, 201);
  });

  app.post('/api/auth/login', async (c) => {
    const body = await readBody(c, loginBody, 'login');
    const accountKey = body.email.trim().toLowerCase();
    const addressKey = clientAddress(c);
    // Checked before the password, so the right password is refused too while a lock lasts.
    await loginByAccount.check([accountKey]);
    await loginByAddress.check([addressKey]);
    const account = await accounts.verifyLogin(body.email, body.password).catch(async (error) => {
      if (error instanceof KeelError && error.code === 'unauthenticated') {
        await loginByAccount.fail([accountKey]);
        await loginByAddress.fail([addressKey]);
      }
      throw error;
    });
    // The address keeps its count, so one good account cannot clear it for guessing at others.
    await loginByAccount.succeed(accountKey);
    await startSession(c, account);
    return c.json({ account: accountView(account) });
  });

  app.post('/api/auth/logout', async (c) => {
    const token = requestToken(c);
    if (token) await accounts.revokeToken(token);
    deleteCookie(c, sessionCookieName, { path: '/' });
    return c.json({ ok: true });
  });

  app.get('/api/me', async (c) =>
    c.json({ account: accountView(await authenticate(c, accounts)) }),
  );

  app.post('/api/tokens', async (c) => {
    const account = await authenticate(c, accounts);
    const body = await readBody(c, tokenBody, 'token request');
    const issued = await accounts.issueToken(account.id, 'api', body.label);
    return c.json({ token: issued.token, label: body.label }, 201);
  });
}

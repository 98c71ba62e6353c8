import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Account, AccountStore } from '../accounts/account-store.ts';
import { ForbiddenError, UnauthenticatedError } from '../accounts/account-errors.ts';
import './request-context.ts';

/** The browser session cookie (httpOnly, SameSite=Lax). */
export const sessionCookieName = 'keel_session';

/** The bearer token of a request: `Authorization: Bearer`, else the session cookie. */
export function requestToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return getCookie(c, sessionCookieName);
}

/** The signed-in account; UnauthenticatedError otherwise. Looked up once per request. */
export async function authenticate(c: Context, accounts: AccountStore): Promise<Account> {
  const known = c.get('account') as Account | undefined;
  if (known) return known;
  const token = requestToken(c);
  if (!token) throw new UnauthenticatedError('no token or session cookie');
  const account = await accounts.authenticate(token);
  c.set('account', account);
  return account;
}

/** The signed-in account, which must be an admin. */
export async function authenticateAdmin(c: Context, accounts: AccountStore): Promise<Account> {
  const account = await authenticate(c, accounts);
  if (account.role !== 'admin') throw new ForbiddenError('admin');
  return account;
}

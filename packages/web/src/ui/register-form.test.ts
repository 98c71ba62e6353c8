import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ServerStatus } from '../api/api-types.ts';
import { LoginPage } from './login-page.tsx';
import { RegisterForm, wantsInviteCode } from './register-form.tsx';

const status = (mode?: 'open' | 'invite' | 'closed'): ServerStatus => ({
  name: 'Acme Store support',
  mode: 'emulator',
  model: 'claude-sonnet-5-5',
  demo: null,
  ...(mode ? { registration: { mode } } : {}),
});

const loginPage = (mode?: 'open' | 'invite' | 'closed') =>
  renderToStaticMarkup(createElement(LoginPage, { status: status(mode), onLoggedIn: () => {} }));

describe('account creation on the sign-in page', () => {
  it('asks for an invite code only when the server needs one', () => {
    const invite = renderToStaticMarkup(
      createElement(RegisterForm, { mode: 'invite', onRegistered: () => {} }),
    );
    expect(invite).toContain('<label for="register-invite">Invite code</label>');
    expect(invite).toMatch(/<input id="register-invite"[^>]*required/);
    const open = renderToStaticMarkup(
      createElement(RegisterForm, { mode: 'open', onRegistered: () => {} }),
    );
    expect(open).toContain('id="register-email"');
    expect(open).not.toContain('register-invite');
    // The password rule is in the form, so the server's 400 is not the first a person hears of it.
    expect(open).toMatch(/<input id="register-password"[^>]*minLength="8"/i);
  });

  it('shows the invite field once the server refuses a registration for the lack of a code', () => {
    expect(wantsInviteCode('open', undefined)).toBe(false);
    expect(wantsInviteCode('invite', undefined)).toBe(true);
    expect(wantsInviteCode('open', { code: 'invite_required', message: 'x' })).toBe(true);
    expect(wantsInviteCode('open', { code: 'registration_throttled', message: 'x' })).toBe(false);
  });

  it('offers account creation when registration is open or by invite, never when closed', () => {
    expect(loginPage('open')).toContain('Create an account');
    expect(loginPage('open')).not.toContain('invite code');
    expect(loginPage('invite')).toContain('Create an account');
    expect(loginPage('invite')).toContain('(you need an invite code)');
    const closed = loginPage('closed');
    expect(closed).not.toContain('Create an account');
    expect(closed).toContain('New accounts are made by whoever runs this assistant.');
    // An older server that does not say its mode: registration is offered, as it was open.
    expect(loginPage(undefined)).toContain('Create an account');
  });
});

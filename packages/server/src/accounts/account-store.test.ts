import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '@keel/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore, type PasswordHasher } from './account-store.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real store on a real SQLite file, with scrypt runs counted. */
async function countingStore() {
  const dir = mkdtempSync(join(tmpdir(), 'keel-accounts-'));
  const storage = await openStorage({ url: join(dir, 'keel.db') });
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => storage.close(),
  );
  const runs = { hash: 0, verify: 0 };
  const passwordHasher: PasswordHasher = {
    hash: (password) => (runs.hash++, hashPassword(password)),
    verify: (password, stored) => (runs.verify++, verifyPassword(password, stored)),
  };
  return { store: new AccountStore({ storage, passwordHasher }), runs };
}

describe('AccountStore.verifyLogin', () => {
  it('does the same scrypt work for an unknown email as for a known one', async () => {
    const { store, runs } = await countingStore();
    await store.create({
      email: 'alice@example.com',
      password: 'right password',
      displayName: 'A',
    });
    // The dummy hash is made once, on the first unknown email; measure after that.
    await expect(store.verifyLogin('warmup@example.com', 'x')).rejects.toMatchObject({
      code: 'unauthenticated',
    });

    const workFor = async (email: string) => {
      const before = runs.hash + runs.verify;
      await store.verifyLogin(email, 'wrong password').catch((error: { code: string }) => {
        expect(error.code).toBe('unauthenticated');
      });
      return runs.hash + runs.verify - before;
    };
    const known = await workFor('alice@example.com');
    const unknown = await workFor('nobody@example.com');
    expect(known).toBe(1);
    expect(unknown).toBe(known);
  });

  it('refuses a second registration without naming the email or saying it exists', async () => {
    const { store } = await countingStore();
    await store.create({ email: 'alice@example.com', password: 'pw', displayName: 'A' });
    const error = await store
      .create({ email: 'Alice@example.com', password: 'other', displayName: 'B' })
      .catch((caught: { code: string; message: string }) => caught);
    expect(error).toMatchObject({ code: 'account_exists' });
    expect((error as { message: string }).message).not.toMatch(
      /alice@example\.com|already exists/i,
    );
  });
});

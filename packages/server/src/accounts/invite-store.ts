import { createHash, randomBytes } from 'node:crypto';
import type { FeatureMigrations, Storage } from '@keel/core';

/** A freshly created invite; `code` is shown once and only its hash is stored. */
export interface IssuedInvite {
  code: string;
  expiresAtMs: number;
}

const inviteMigrations: FeatureMigrations = {
  feature: 'assistant-invites',
  migrations: [
    {
      version: 1,
      name: 'single-use hashed invite codes',
      sql: `
CREATE TABLE IF NOT EXISTS keel_invites (
  code_hash TEXT PRIMARY KEY,
  created_by TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  claimed_at_ms BIGINT,
  used_by TEXT
);`,
    },
  ],
};

// Codes carry 160 random bits, so a fast hash keeps a database leak from being an invitation.
function codeHash(code: string): string {
  return createHash('sha256').update(code.trim()).digest('hex');
}

/** Options of {@link InviteStore}. */
export interface InviteStoreOptions {
  storage: Storage;
  /** Milliseconds since the epoch. Default Date.now. */
  now?: () => number;
}

/** Single-use registration invites for `registration.mode: invite`, on SQLite or PostgreSQL. */
export class InviteStore {
  readonly #storage: Storage;
  readonly #now: () => number;
  #ready?: Promise<unknown>;

  constructor(options: InviteStoreOptions) {
    this.#storage = options.storage;
    this.#now = options.now ?? Date.now;
  }

  init(): Promise<unknown> {
    this.#ready ??= this.#storage.migrate(inviteMigrations);
    return this.#ready;
  }

  /** Creates an invite valid for `ttlMs`, recording which admin made it. */
  async create(options: { createdBy: string; ttlMs: number }): Promise<IssuedInvite> {
    await this.init();
    const code = `keel_inv_${randomBytes(20).toString('base64url')}`;
    const now = this.#now();
    const expiresAtMs = now + options.ttlMs;
    await this.#storage.execute(
      `INSERT INTO keel_invites (code_hash, created_by, created_at_ms, expires_at_ms)
       VALUES (?, ?, ?, ?)`,
      [codeHash(code), options.createdBy, now, expiresAtMs],
    );
    return { code, expiresAtMs };
  }

  /**
   * Claims an unused, unexpired invite in one statement, so two registrations racing on one code
   * cannot both win. False for unknown, used or expired codes alike.
   */
  async claim(code: string): Promise<boolean> {
    await this.init();
    const rows = await this.#storage.query(
      `UPDATE keel_invites SET claimed_at_ms = ?
       WHERE code_hash = ? AND claimed_at_ms IS NULL AND expires_at_ms > ? RETURNING expires_at_ms`,
      [this.#now(), codeHash(code), this.#now()],
    );
    return rows.length === 1;
  }

  /** Gives a claimed invite back (the registration it was claimed for failed). */
  async release(code: string): Promise<void> {
    await this.init();
    await this.#storage.execute(
      'UPDATE keel_invites SET claimed_at_ms = NULL WHERE code_hash = ? AND used_by IS NULL',
      [codeHash(code)],
    );
  }

  /** Records the account a claimed invite created. */
  async markUsed(code: string, accountId: string): Promise<void> {
    await this.init();
    await this.#storage.execute('UPDATE keel_invites SET used_by = ? WHERE code_hash = ?', [
      accountId,
      codeHash(code),
    ]);
  }
}

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  sqlNumber,
  sqlNumberOrNull,
  type FeatureMigrations,
  type SqlRow,
  type Storage,
} from '@keel/core';
import { AccountExistsError, UnauthenticatedError } from './account-errors.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

/** What an account may do: customers see their own data, admins also see everyone's usage. */
export type AccountRole = 'customer' | 'admin';

/** A login account (never carries the password hash). */
export interface Account {
  /** Stable opaque id; the principal's `userId` and the ledger's `user` tag. */
  id: string;
  email: string;
  displayName: string;
  role: AccountRole;
  createdAtMs: number;
}

/** A bearer token: `api` tokens for scripts and the CLI, `session` tokens behind the cookie. */
export type TokenKind = 'api' | 'session';

/** A freshly issued token; `token` is shown once and only its hash is stored. */
export interface IssuedToken {
  token: string;
  kind: TokenKind;
  expiresAtMs: number | null;
}

const accountMigrations: FeatureMigrations = {
  feature: 'assistant-accounts',
  migrations: [
    {
      version: 1,
      name: 'accounts and hashed tokens',
      sql: `
CREATE TABLE IF NOT EXISTS keel_accounts (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS keel_account_tokens (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES keel_accounts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT
);
CREATE INDEX IF NOT EXISTS keel_account_tokens_account ON keel_account_tokens (account_id);`,
    },
  ],
};

export interface AccountStoreOptions {
  storage: Storage;
  /** Milliseconds since the epoch. Default Date.now. */
  now?: () => number;
  /** How long a browser session token lives, ms. Default 7 days. */
  sessionTtlMs?: number;
  /** Hashes and checks passwords. Default scrypt (`password-hash.ts`); tests pass a counting one. */
  passwordHasher?: PasswordHasher;
}

/** The password-hash functions the store uses. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

// Tokens carry 256 random bits, so a fast hash is enough to keep a database leak from being a login.
function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toAccount(row: SqlRow): Account {
  return {
    id: String(row.id),
    email: String(row.email),
    displayName: String(row.display_name),
    role: String(row.role) as AccountRole,
    createdAtMs: sqlNumber(row.created_at_ms),
  };
}

/** Accounts with scrypt-hashed passwords and hashed bearer tokens, on SQLite or PostgreSQL. */
export class AccountStore {
  readonly #storage: Storage;
  readonly #now: () => number;
  readonly #sessionTtlMs: number;
  readonly #hasher: PasswordHasher;
  #ready?: Promise<unknown>;
  // Verified against for unknown emails; made once, so an unknown email costs one scrypt run, as a known one does.
  #dummyHash?: Promise<string>;

  constructor(options: AccountStoreOptions) {
    this.#storage = options.storage;
    this.#now = options.now ?? Date.now;
    this.#sessionTtlMs = options.sessionTtlMs ?? 7 * 24 * 3600_000;
    this.#hasher = options.passwordHasher ?? { hash: hashPassword, verify: verifyPassword };
  }

  /** Applies the store's migrations (once). */
  init(): Promise<unknown> {
    this.#ready ??= this.#storage.migrate(accountMigrations);
    return this.#ready;
  }

  /** Creates an account; `id` may be given (the demo ties customers to their orders by id). */
  async create(options: {
    email: string;
    password: string;
    displayName: string;
    role?: AccountRole;
    id?: string;
  }): Promise<Account> {
    await this.init();
    const email = options.email.trim().toLowerCase();
    const id = options.id ?? `user_${randomUUID()}`;
    const passwordHash = await this.#hasher.hash(options.password);
    const inserted = await this.#storage.query(
      `INSERT INTO keel_accounts (id, email, display_name, password_hash, role, created_at_ms)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      [id, email, options.displayName, passwordHash, options.role ?? 'customer', this.#now()],
    );
    if (inserted.length === 0) throw new AccountExistsError(email);
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Account | undefined> {
    await this.init();
    const [row] = await this.#storage.query('SELECT * FROM keel_accounts WHERE id = ?', [id]);
    return row ? toAccount(row) : undefined;
  }

  async findByEmail(email: string): Promise<Account | undefined> {
    await this.init();
    const [row] = await this.#storage.query('SELECT * FROM keel_accounts WHERE email = ?', [
      email.trim().toLowerCase(),
    ]);
    return row ? toAccount(row) : undefined;
  }

  /** The account for an email and password; UnauthenticatedError otherwise (same error either way). */
  async verifyLogin(email: string, password: string): Promise<Account> {
    await this.init();
    const [row] = await this.#storage.query('SELECT * FROM keel_accounts WHERE email = ?', [
      email.trim().toLowerCase(),
    ]);
    // The same scrypt work for unknown emails, so response time does not reveal which emails exist.
    const stored = row
      ? String(row.password_hash)
      : await (this.#dummyHash ??= this.#hasher.hash(randomBytes(16).toString('base64url')));
    const valid = await this.#hasher.verify(password, stored);
    if (!row || !valid) throw new UnauthenticatedError('wrong email or password');
    return toAccount(row);
  }

  /** Issues a random token for the account; only its SHA-256 is stored. */
  async issueToken(accountId: string, kind: TokenKind, label: string = kind): Promise<IssuedToken> {
    await this.init();
    const token = `keel_${kind === 'api' ? 'api' : 'ses'}_${randomBytes(32).toString('base64url')}`;
    const expiresAtMs = kind === 'session' ? this.#now() + this.#sessionTtlMs : null;
    await this.#storage.execute(
      `INSERT INTO keel_account_tokens (token_hash, account_id, kind, label, created_at_ms, expires_at_ms)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [tokenHash(token), accountId, kind, label, this.#now(), expiresAtMs],
    );
    return { token, kind, expiresAtMs };
  }

  /** The account a token belongs to; UnauthenticatedError for unknown or expired tokens. */
  async authenticate(token: string): Promise<Account> {
    await this.init();
    const [row] = await this.#storage.query(
      `SELECT a.*, t.expires_at_ms AS token_expires_at_ms FROM keel_account_tokens t
       JOIN keel_accounts a ON a.id = t.account_id WHERE t.token_hash = ?`,
      [tokenHash(token)],
    );
    if (!row) throw new UnauthenticatedError('unknown token');
    const expiresAtMs = sqlNumberOrNull(row.token_expires_at_ms);
    if (expiresAtMs !== null && expiresAtMs <= this.#now()) {
      throw new UnauthenticatedError('token expired');
    }
    return toAccount(row);
  }

  /** Revokes a token (logout). */
  async revokeToken(token: string): Promise<void> {
    await this.init();
    await this.#storage.execute('DELETE FROM keel_account_tokens WHERE token_hash = ?', [
      tokenHash(token),
    ]);
  }

  /** Every account (admin views). */
  async list(): Promise<Account[]> {
    await this.init();
    const rows = await this.#storage.query(
      'SELECT * FROM keel_accounts ORDER BY created_at_ms, id',
    );
    return rows.map(toAccount);
  }
}

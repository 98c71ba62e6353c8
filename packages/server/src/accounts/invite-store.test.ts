import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresTestSchema, openStorage, type Storage } from '@keel/core';
import { afterAll, describe, expect, it } from 'vitest';
import { InviteStore } from './invite-store.ts';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const backends: Array<[string, () => Promise<Storage | undefined>]> = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'keel-invites-'));
      const storage = await openStorage({ url: join(dir, 'keel.db') });
      cleanups.push(
        () => rmSync(dir, { recursive: true, force: true }),
        () => storage.close(),
      );
      return storage;
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const schema = await createPostgresTestSchema();
      if (!schema) return undefined;
      const storage = await openStorage({ url: schema.url, schema: schema.schema });
      cleanups.push(
        () => schema.drop(),
        () => storage.close(),
      );
      return storage;
    },
  ],
];

describe.each(backends)('InviteStore on %s', (name, open) => {
  const skip = name === 'PostgreSQL' && !process.env.KEEL_TEST_POSTGRES_URL;

  it.skipIf(skip)('refuses a code once it has expired', async () => {
    const storage = (await open())!;
    let now = Date.UTC(2026, 11, 1);
    const invites = new InviteStore({ storage, now: () => now });
    const early = await invites.create({ createdBy: 'admin', ttlMs: 3600_000 });
    const late = await invites.create({ createdBy: 'admin', ttlMs: 3600_000 });
    now += 3599_000;
    expect(await invites.claim(early.code)).toBe(true);
    now += 1000;
    expect(await invites.claim(late.code)).toBe(false);
  });

  it.skipIf(skip)(
    'lets exactly one of several simultaneous claims win, and a used code stays used',
    async () => {
      const storage = (await open())!;
      const invites = new InviteStore({ storage });
      const { code } = await invites.create({ createdBy: 'admin', ttlMs: 3600_000 });
      const claims = await Promise.all(Array.from({ length: 8 }, () => invites.claim(code)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      // Released (its registration failed), it can be claimed again; used, it cannot.
      await invites.release(code);
      expect(await invites.claim(code)).toBe(true);
      await invites.markUsed(code, 'user_1');
      await invites.release(code);
      expect(await invites.claim(code)).toBe(false);
    },
  );
});

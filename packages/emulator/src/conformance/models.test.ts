import Anthropic from '@anthropic-ai/sdk';
import { defaultModelCatalog } from '@keel/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock, startEmulator, type EmulatorHandle } from '../index.ts';

/** The emulator's "today": lifecycles depend on it, so it is pinned. */
const today = '2026-07-01';
const catalog = defaultModelCatalog();
const retiredToday = (id: string) => catalog.isRetired(id, today);
/** What the default listing shows: every model not retired by `today`, newest first. */
const newestFirst = catalog
  .listNewestFirst()
  .map((model) => model.id)
  .filter((id) => !retiredToday(id));

let emulator: EmulatorHandle;
let client: Anthropic;
const clock = new AdjustableClock(() => Date.parse(`${today}T12:00:00Z`));

beforeAll(async () => {
  emulator = await startEmulator({ clock });
  client = new Anthropic({ apiKey: 'test-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

describe('GET /v1/models', () => {
  it('lists the catalog newest first, in the SDK page shape', async () => {
    const page = await client.models.list({ limit: 1000 });
    expect(page.data.map((model) => model.id)).toEqual(newestFirst);
    expect(page.has_more).toBe(false);
    expect(page.first_id).toBe(newestFirst[0]);
    expect(page.last_id).toBe(newestFirst.at(-1));
  });

  it('pages forward with after_id until has_more is false (SDK auto-pagination)', async () => {
    const seen: string[] = [];
    for await (const model of client.models.list({ limit: 2 })) seen.push(model.id);
    expect(seen).toEqual(newestFirst);

    const first = await client.models.list({ limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.has_more).toBe(newestFirst.length > 2);
  });

  it('pages backward with before_id', async () => {
    const page = await client.models.list({ limit: 2, before_id: newestFirst[3]! });
    expect(page.data.map((model) => model.id)).toEqual(newestFirst.slice(1, 3));
    expect(page.has_more).toBe(true);
  });

  it('rejects a limit outside 1..1000 and an unknown cursor', async () => {
    await expect(client.models.list({ limit: 0 })).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
    await expect(client.models.list({ limit: 1001 })).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
    await expect(client.models.list({ after_id: 'claude-nope' })).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
  });

  it('describes each model with limits and capabilities from the catalog', async () => {
    const page = await client.models.list();
    const haiku = page.data.find((model) => model.id === 'claude-haiku-4-5-20251001')!;
    const catalogHaiku = defaultModelCatalog().get('claude-haiku-4-5');
    expect(haiku).toMatchObject({
      type: 'model',
      display_name: catalogHaiku.displayName,
      created_at: `${catalogHaiku.releasedAt}T00:00:00Z`,
      max_input_tokens: catalogHaiku.contextWindow,
      max_tokens: catalogHaiku.maxOutputTokens,
      lifecycle: 'active',
      line: 'haiku',
    });
    expect(haiku.capabilities?.image_input.supported).toBe(catalogHaiku.capabilities.vision);
    expect(haiku.capabilities?.batch.supported).toBe(true);
    const opus = page.data.find((model) => model.id === 'claude-opus-4-6')!;
    expect(opus.capabilities?.effort).toMatchObject({
      supported: true,
      max: { supported: true },
    });
    expect(opus.capabilities?.thinking.types.adaptive.supported).toBe(true);
  });
});

describe('model lifecycles from the catalog retirement dates', () => {
  it('leaves retired models out by default and lists them on request', async () => {
    const retired = catalog.models.filter((model) => retiredToday(model.id)).map((m) => m.id);
    expect(retired.length).toBeGreaterThan(0);
    const listed = (await client.models.list({ limit: 1000 })).data.map((model) => model.id);
    for (const id of retired) expect(listed).not.toContain(id);
    const onlyRetired = await client.models.list({ limit: 1000, lifecycle: ['retired'] });
    expect(onlyRetired.data.map((model) => model.id)).toEqual(retired);
    expect(onlyRetired.data.every((model) => model.lifecycle === 'retired')).toBe(true);
    const everything = await client.models.list({
      limit: 1000,
      lifecycle: ['active', 'deprecated', 'retired'],
    });
    expect(everything.data).toHaveLength(catalog.models.length);
  });

  it('reports a model with a future retirement date as deprecated until that date', async () => {
    const deprecated = catalog.models.find(
      (model) => model.lifecycle.retiresAt !== null && !retiredToday(model.id),
    )!;
    const before = await client.models.retrieve(deprecated.id);
    expect(before).toMatchObject({
      lifecycle: 'deprecated',
      retires_at: `${deprecated.lifecycle.retiresAt!}T00:00:00Z`,
    });
    const active = await client.models.retrieve('claude-sonnet-4-6');
    expect(active).toMatchObject({ lifecycle: 'active', retires_at: null });

    const later = await startEmulator({
      clock: new AdjustableClock(() => Date.parse(`${deprecated.lifecycle.retiresAt!}T00:00:00Z`)),
    });
    try {
      const sdk = new Anthropic({ apiKey: 'k', baseURL: later.url, maxRetries: 0 });
      expect((await sdk.models.retrieve(deprecated.id)).lifecycle).toBe('retired');
    } finally {
      await later.close();
    }
  });

  it('rejects an unknown lifecycle', async () => {
    await expect(
      client.models.list({ lifecycle: ['immortal' as 'active'] }),
    ).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });
});

describe('GET /v1/models/{id}', () => {
  it('returns one model', async () => {
    const model = await client.models.retrieve('claude-sonnet-4-6');
    expect(model.id).toBe('claude-sonnet-4-6');
    expect(model.max_tokens).toBe(64000);
  });

  it('resolves an alias to the model id', async () => {
    const model = await client.models.retrieve('claude-haiku-4-5');
    expect(model.id).toBe('claude-haiku-4-5-20251001');
  });

  it('answers 404 for an unknown model', async () => {
    await expect(client.models.retrieve('gpt-4')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });
});

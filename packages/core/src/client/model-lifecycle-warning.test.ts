import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { defaultCatalogPath, parseModelCatalog, type ModelCatalog } from '@keel/models';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkCaller } from './sdk-caller.ts';
import type { KeelWarning } from '../warnings/keel-warning.ts';
import { createKeel } from './create-keel.ts';

/** The shipped catalog with Haiku 4.5 marked deprecated, retiring a year from now. */
function catalogWithDeprecatedHaiku(): ModelCatalog {
  const file = JSON.parse(readFileSync(defaultCatalogPath, 'utf8'));
  const haiku = file.models.find((model: { id: string }) =>
    model.id.startsWith('claude-haiku-4-5'),
  );
  const retiresAt = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  haiku.lifecycle = { ...haiku.lifecycle, status: 'deprecated', retiresAt };
  return parseModelCatalog(file);
}

let emulator: EmulatorHandle;
let catalog: ModelCatalog;
beforeAll(async () => {
  catalog = catalogWithDeprecatedHaiku();
  emulator = await startEmulator({ catalog });
});
afterAll(() => emulator.close());

const ask = (model: string) => ({
  model,
  max_tokens: 50,
  messages: [{ role: 'user' as const, content: 'Hello' }],
});

describe('model lifecycle warnings', () => {
  it('warns once when the client calls a deprecated model, which still answers', async () => {
    const warnings: KeelWarning[] = [];
    const keel = createKeel({
      apiKey: 'k',
      baseURL: emulator.url,
      logger: false,
      catalog,
      onWarning: (warning) => warnings.push(warning),
    });
    await keel.call(ask('claude-haiku-4-5'));
    await keel.call(ask('claude-haiku-4-5'));
    await keel.call(ask('claude-sonnet-5-5'));
    expect(warnings.map((warning) => warning.code)).toEqual(['model_deprecated']);
    expect(warnings[0]!.message).toMatch(/claude-haiku-4-5-20251001 is deprecated and retires on/);
  });

  it('says why a retired model fails, through the bare SDK caller too', async () => {
    const warnings: KeelWarning[] = [];
    const caller = sdkCaller(new Anthropic({ apiKey: 'k', baseURL: emulator.url, maxRetries: 0 }), {
      catalog,
      onWarning: (warning) => warnings.push(warning),
    });
    await expect(caller.create(ask('claude-sonnet-4-5'))).rejects.toMatchObject({ status: 404 });
    expect(warnings).toMatchObject([
      { code: 'model_retired', details: { model: 'claude-sonnet-4-5-20250929' } },
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultRoutingTablePath, routingTableSchema } from '@keel/core';
import { defaultModelCatalog } from '@keel/models';
import { describe, expect, it } from 'vitest';
import { demoConfigPath, loadAssistantConfig } from './assistant-config.ts';

// Keel's shipped defaults (routing table, fallback chains, the demo assistant) must name models
// that answer today: a default is a current (active) model; a fallback may also be a legacy one,
// still served without a retirement date. Never a deprecated or retired model. Dated by the real
// clock, so the suite fails on the day a default's announced retirement arrives.
const catalog = defaultModelCatalog();
const today = new Date().toISOString().slice(0, 10);

function stageOf(name: string): string {
  const model = catalog.find(name);
  if (!model) return 'unknown';
  if (catalog.isRetired(name, today)) return 'retired';
  if (!catalog.isServedWithoutNotice(name, today)) return 'deprecated';
  return model.lifecycle.status;
}

const routing = routingTableSchema.parse(JSON.parse(readFileSync(defaultRoutingTablePath, 'utf8')));
const overrides = Object.values(routing.environments ?? {});
const defaults: Record<string, string> = {
  'routing default': routing.default,
  ...Object.fromEntries(Object.entries(routing.tasks).map(([task, id]) => [`task ${task}`, id])),
  ...Object.fromEntries(
    overrides.flatMap((override, index) => [
      ...(override.default ? [[`environment ${index} default`, override.default]] : []),
      ...Object.entries(override.tasks ?? {}).map(([task, id]) => [`environment task ${task}`, id]),
    ]),
  ),
};
const demo = loadAssistantConfig(demoConfigPath);
const demoPrompt = readFileSync(resolve(dirname(demoConfigPath), 'prompts/support.md'), 'utf8');
const assistantDefaults: Record<string, string> = {
  'demo chat model': demo.models.chat!,
  'demo cheap model': demo.context.cheapModel ?? routing.tasks.summarization!,
  'demo prompt model': /^model:\s*(\S+)/m.exec(demoPrompt)![1]!,
};

describe('shipped default models', () => {
  it.each(Object.entries({ ...defaults, ...assistantDefaults }))(
    '%s (%s) is a current model',
    (_, id) => {
      expect(stageOf(id)).toBe('active');
    },
  );

  it('keeps every fallback chain free of deprecated and retired models', () => {
    const chains = [
      routing.fallbacks ?? {},
      ...overrides.map((override) => override.fallbacks ?? {}),
    ];
    const named = chains.flatMap((chain) =>
      Object.entries(chain).flatMap(([from, to]) => [from, ...to]),
    );
    expect(named.length).toBeGreaterThan(0);
    const stages = Object.fromEntries(named.map((id) => [id, stageOf(id)]));
    for (const [id, stage] of Object.entries(stages)) {
      expect(['active', 'legacy'], `${id} is ${stage}`).toContain(stage);
    }
  });

  it('would catch a retired model in a chain', () => {
    // The check itself: Sonnet 4.5 retired on 2026-11-30, so it may not stand in a chain.
    expect(stageOf('claude-sonnet-4-5-20250929')).toBe(
      today >= '2026-11-30' ? 'retired' : 'deprecated',
    );
    expect(stageOf('claude-imaginary-1')).toBe('unknown');
  });
});

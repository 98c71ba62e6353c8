import { defaultModelCatalog } from '@keel/models';
import { describe, expect, it } from 'vitest';
import { toolTokens } from './block-tokens.ts';
import { layoutPrompt, type PromptRequest } from './prompt-layout.ts';
import { tokenizerFamilyOf } from './tokenizer-family.ts';
import { toolUseTokenTable } from './tool-use-tokens.ts';

const tool = {
  name: 'get_weather',
  description: 'Get the current weather in a given location',
  input_schema: {
    type: 'object' as const,
    properties: { location: { type: 'string', description: 'The city and state' } },
    required: ['location'],
  },
};

function count(model: { id: string }, extra: Partial<PromptRequest>): number {
  const request = {
    model: model.id,
    messages: [{ role: 'user' as const, content: 'What is the weather in Paris?' }],
    ...extra,
  } as PromptRequest;
  return layoutPrompt(request, model).totalTokens;
}

describe('the tool-use system prompt', () => {
  const catalog = defaultModelCatalog();
  const documented = toolUseTokenTable.systemPrompt.filter((entry) => entry.documented);

  it.each(documented.map((entry) => [entry.modelPrefix, entry] as const))(
    '%s adds its documented figure for auto/none and for any/tool',
    (prefix, entry) => {
      const model = catalog.models.find((candidate) => candidate.id.startsWith(prefix)) ?? {
        id: prefix,
      };
      const family = tokenizerFamilyOf(model);
      const withoutTools = count(model, {});
      const definition = toolTokens(tool, family);
      expect(count(model, { tools: [tool] }) - withoutTools - definition).toBe(entry.autoOrNone);
      expect(
        count(model, { tools: [tool], tool_choice: { type: 'none' } }) - withoutTools - definition,
      ).toBe(entry.autoOrNone);
      expect(
        count(model, { tools: [tool], tool_choice: { type: 'any' } }) - withoutTools - definition,
      ).toBe(entry.anyOrTool);
      expect(
        count(model, { tools: [tool], tool_choice: { type: 'tool', name: 'get_weather' } }) -
          withoutTools -
          definition,
      ).toBe(entry.anyOrTool);
    },
  );

  it('adds nothing without tools, even with tool_choice none', () => {
    const model = { id: 'claude-sonnet-4-6' };
    expect(count(model, { tool_choice: { type: 'none' } })).toBe(count(model, {}));
  });

  it('counts Anthropic-defined tools at their documented size', () => {
    expect(toolTokens({ type: 'bash_20250124', name: 'bash' } as never)).toBe(245);
    expect(
      toolTokens({ type: 'text_editor_20250429', name: 'str_replace_based_edit_tool' } as never),
    ).toBe(700);
  });

  it('gives every model in the catalog a figure, documented or assumed from a named model', () => {
    for (const model of catalog.models) {
      const entry = toolUseTokenTable.systemPrompt.find((candidate) =>
        model.id.startsWith(candidate.modelPrefix),
      );
      expect(entry, model.id).toBeDefined();
      if (!entry!.documented) expect(entry!.assumedFrom).toBeTruthy();
    }
  });
});

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { TokenizerFamily } from './tokenizer.ts';

const figureSchema = z.strictObject({
  autoOrNone: z.number().int().positive(),
  anyOrTool: z.number().int().positive(),
});

const tableSchema = z.strictObject({
  source: z.url(),
  asOf: z.iso.date(),
  note: z.string(),
  systemPrompt: z.array(
    figureSchema.extend({
      modelPrefix: z.string().startsWith('claude-'),
      documented: z.boolean(),
      assumedFrom: z.string().optional(),
      note: z.string().optional(),
    }),
  ),
  familyDefault: z.strictObject({
    'claude-3': figureSchema.extend({ assumedFrom: z.string() }),
    'claude-4-7': figureSchema.extend({ assumedFrom: z.string() }),
  }),
  structuredOutput: z.strictObject({
    systemPromptTokens: z.number().int().positive(),
    source: z.string().min(1),
    asOf: z.iso.date(),
    note: z.string().min(1),
  }),
  anthropicDefinedTools: z.strictObject({
    source: z.string().min(1),
    asOf: z.iso.date(),
    tokensByTypePrefix: z.array(
      z.strictObject({ typePrefix: z.string().min(1), tokens: z.number().int().positive() }),
    ),
  }),
});

/** The documented tool-use token figures, validated once at load. */
export const toolUseTokenTable = tableSchema
  .superRefine((table, context) => {
    // A shorter prefix listed before a longer one would shadow it (claude-opus-5 before claude-opus-5-5).
    table.systemPrompt.forEach((entry, index) => {
      const shadowed = table.systemPrompt
        .slice(index + 1)
        .find((later) => later.modelPrefix.startsWith(entry.modelPrefix));
      if (shadowed)
        context.addIssue({
          code: 'custom',
          message: `${entry.modelPrefix} shadows ${shadowed.modelPrefix}: list the longer prefix first`,
        });
      if (!entry.documented && !entry.assumedFrom)
        context.addIssue({
          code: 'custom',
          message: `${entry.modelPrefix}: say what an undocumented figure is assumed from`,
        });
    });
  })
  .parse(
    JSON.parse(readFileSync(new URL('../../data/tool-use-tokens.json', import.meta.url), 'utf8')),
  );

/**
 * Tokens of the system prompt the API adds for tool use: 0 without tools, else the model's
 * documented figure for its `tool_choice` (`auto`/`none` or `any`/`tool`).
 */
export function toolUseSystemPromptTokens(options: {
  modelId: string;
  family: TokenizerFamily;
  toolCount: number;
  toolChoice: string | undefined;
}): number {
  if (options.toolCount === 0) return 0;
  const figures =
    toolUseTokenTable.systemPrompt.find((entry) => options.modelId.startsWith(entry.modelPrefix)) ??
    toolUseTokenTable.familyDefault[options.family];
  const forced = options.toolChoice === 'any' || options.toolChoice === 'tool';
  return forced ? figures.anyOrTool : figures.autoOrNone;
}

/** Documented tokens of an Anthropic-defined tool (bash, text editor, computer use), if known. */
export function anthropicDefinedToolTokens(type: string | null | undefined): number | undefined {
  if (!type) return undefined;
  return toolUseTokenTable.anthropicDefinedTools.tokensByTypePrefix.find((entry) =>
    type.startsWith(entry.typePrefix),
  )?.tokens;
}

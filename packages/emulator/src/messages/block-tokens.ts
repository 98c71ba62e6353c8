import { imageInfo, imageTokens } from './image-info.ts';
import type { ContentBlockParam, ToolParam } from './request-schema.ts';
import { anthropicDefinedToolTokens, toolUseTokenTable } from './tool-use-tokens.ts';
import { countTextTokens, type TokenizerFamily } from './tokenizer.ts';

/** Tokens for an image the emulator cannot see (a URL or file reference): a full-size image. */
const unseenImageTokens = 1_600;
/** Tokens per PDF page: the page's text plus its image, at a typical page's size. */
const pdfPageTokens = 1_500;

/** Counts the pages of a base64 PDF by its page objects (at least one). */
function pdfPages(base64: string): number {
  const text = Buffer.from(base64, 'base64').toString('latin1');
  const matches = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g);
  return Math.max(1, matches?.length ?? 0);
}

function imageSourceTokens(source: { type: string; data?: unknown }): number {
  if (source.type !== 'base64' || typeof source.data !== 'string') return unseenImageTokens;
  const info = imageInfo(source.data);
  return info ? imageTokens(info.width, info.height) : unseenImageTokens;
}

/**
 * Input tokens of one content block, with the emulator's tokenizer. Text counts its words; images
 * count (width × height) / 750 from their real header; PDFs count per page; tool calls count their
 * name and JSON input; tool results count their content.
 */
export function blockTokens(
  block: ContentBlockParam,
  family: TokenizerFamily = 'claude-3',
): number {
  const text = (value: string) => countTextTokens(value, family);
  switch (block.type) {
    case 'text':
      return text(block.text);
    case 'image':
      return imageSourceTokens(block.source);
    case 'document': {
      const source = block.source;
      let tokens = text(`${block.title ?? ''} ${block.context ?? ''}`);
      if (source.type === 'base64') tokens += pdfPages(source.data) * pdfPageTokens;
      else if (source.type === 'text') tokens += text(source.data);
      else if (source.type === 'content') {
        if (typeof source.content === 'string') tokens += text(source.content);
        else for (const inner of source.content) tokens += blockTokens(inner, family);
      } else tokens += pdfPageTokens;
      return tokens;
    }
    case 'search_result':
      return (
        text(`${block.source} ${block.title}`) +
        block.content.reduce((sum, inner) => sum + text(inner.text), 0)
      );
    case 'tool_use':
      return text(block.name) + text(JSON.stringify(block.input));
    case 'tool_result': {
      const content = block.content;
      if (content === undefined) return 1;
      if (typeof content === 'string') return 1 + text(content);
      return 1 + content.reduce((sum, inner) => sum + blockTokens(inner, family), 0);
    }
    case 'thinking':
      return text(block.thinking);
    case 'redacted_thinking':
      return Math.ceil(block.data.length / 4);
  }
}

/**
 * Input tokens of a tool definition: Anthropic-defined tools (bash, text editor, computer use) cost
 * their documented figure; a custom tool counts its name, description and schema, the schema as
 * JSON without quotes and brackets, which the real tokenizer mostly merges into the words beside
 * them (the documented `get_weather` example is about 40 tokens of definition).
 */
export function toolTokens(tool: ToolParam, family: TokenizerFamily = 'claude-3'): number {
  const documented = anthropicDefinedToolTokens(tool.type);
  if (documented !== undefined) return documented;
  const { cache_control: _ignored, name, description, input_schema: schema, ...rest } = tool;
  return countTextTokens(
    `${name} ${description ?? ''} ${schemaText({ ...schema, ...rest })}`,
    family,
  );
}

/** A JSON schema as the tokenizer sees it: its JSON without quotes and brackets. */
function schemaText(schema: unknown): string {
  return JSON.stringify(schema).replace(/["{}[\]]/g, ' ');
}

/**
 * Input tokens `output_config.format` adds: the prompt the API adds for structured outputs (a
 * figure calibrated on a real capture, see tool-use-tokens.json) and the schema.
 */
export function outputFormatTokens(
  format: { schema: unknown } | null | undefined,
  family: TokenizerFamily = 'claude-3',
): number {
  if (!format) return 0;
  return (
    toolUseTokenTable.structuredOutput.systemPromptTokens +
    countTextTokens(schemaText(format.schema), family)
  );
}

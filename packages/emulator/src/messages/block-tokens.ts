import { imageInfo, imageTokens } from './image-info.ts';
import type { ContentBlockParam, ToolParam } from './request-schema.ts';
import { countTextTokens } from './tokenizer.ts';

/** Tokens for an image the emulator cannot see (a URL or file reference): a full-size image. */
export const unseenImageTokens = 1_600;
/** Tokens per PDF page: the page's text plus its image, at a typical page's size. */
export const pdfPageTokens = 1_500;

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
export function blockTokens(block: ContentBlockParam): number {
  switch (block.type) {
    case 'text':
      return countTextTokens(block.text);
    case 'image':
      return imageSourceTokens(block.source);
    case 'document': {
      const source = block.source;
      let tokens = countTextTokens(`${block.title ?? ''} ${block.context ?? ''}`);
      if (source.type === 'base64') tokens += pdfPages(source.data) * pdfPageTokens;
      else if (source.type === 'text') tokens += countTextTokens(source.data);
      else if (source.type === 'content') {
        if (typeof source.content === 'string') tokens += countTextTokens(source.content);
        else for (const inner of source.content) tokens += blockTokens(inner);
      } else tokens += pdfPageTokens;
      return tokens;
    }
    case 'search_result':
      return (
        countTextTokens(`${block.source} ${block.title}`) +
        block.content.reduce((sum, inner) => sum + countTextTokens(inner.text), 0)
      );
    case 'tool_use':
      return countTextTokens(block.name) + countTextTokens(JSON.stringify(block.input));
    case 'tool_result': {
      const content = block.content;
      if (content === undefined) return 1;
      if (typeof content === 'string') return 1 + countTextTokens(content);
      return 1 + content.reduce((sum, inner) => sum + blockTokens(inner), 0);
    }
    case 'thinking':
      return countTextTokens(block.thinking);
    case 'redacted_thinking':
      return Math.ceil(block.data.length / 4);
  }
}

/** Input tokens of a tool definition: its name, description and schema. */
export function toolTokens(tool: ToolParam): number {
  const { cache_control: _ignored, ...definition } = tool;
  return countTextTokens(JSON.stringify(definition));
}

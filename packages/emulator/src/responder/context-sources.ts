import type {
  ContentBlockParam,
  DocumentBlockParam,
  MessageRequest,
  SearchResultBlockParam,
} from '../messages/request-schema.ts';
import { blocksOf, systemText } from './conversation.ts';
import { pdfPageTexts } from './pdf-text.ts';

/**
 * Retrieved context found in a request: `document` blocks, `search_result` blocks (also inside
 * tool results), and documents pasted as text with their sources named
 * (`<document source="...">`, `<source>` tags, `[1] path` headers).
 */
export type ContextSource =
  | {
      kind: 'document';
      /** Position among the request's document blocks (the API's `document_index`). */
      index: number;
      title: string | null;
      /** The document's text; a PDF's text layer; empty for files and scanned PDFs. */
      text: string;
      /** For `content` sources given as blocks: each text block (cited by block index). */
      blocks?: string[];
      /** For PDFs with a text layer: each page's text (cited by page number). */
      pages?: string[];
      citations: boolean;
    }
  | {
      kind: 'search_result';
      /** Position among the request's search results (the API's `search_result_index`). */
      index: number;
      source: string;
      title: string;
      blocks: string[];
      citations: boolean;
    }
  | { kind: 'inline'; name: string; text: string };

function documentSource(block: DocumentBlockParam, index: number): ContextSource {
  const source = block.source;
  const base = {
    kind: 'document' as const,
    index,
    title: block.title ?? null,
    citations: block.citations?.enabled === true,
  };
  if (source.type === 'text') return { ...base, text: source.data };
  if (source.type === 'content') {
    if (typeof source.content === 'string')
      return { ...base, text: source.content, blocks: [source.content] };
    const blocks = source.content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
    return { ...base, text: blocks.join(''), blocks };
  }
  // A PDF with a text layer is answered from its text; otherwise it is cited by title only.
  if (source.type === 'base64' && source.media_type === 'application/pdf') {
    const pages = pdfPageTexts(source.data);
    return { ...base, text: pages.join('\n'), ...(pages.length > 0 ? { pages } : {}) };
  }
  return { ...base, text: '' };
}

function searchResultSource(block: SearchResultBlockParam, index: number): ContextSource {
  return {
    kind: 'search_result',
    index,
    source: block.source,
    title: block.title,
    blocks: block.content.map((part) => part.text),
    citations: block.citations?.enabled === true,
  };
}

/** Documents pasted into text, with the name of their source. */
function inlineSources(text: string): Array<{ name: string; text: string }> {
  const found: Array<{ name: string; text: string }> = [];
  for (const m of text.matchAll(/<document\b([^>]*)>([\s\S]*?)<\/document>/gi)) {
    const attributes = m[1] ?? '';
    const inner = m[2] ?? '';
    const named =
      attributes.match(/\b(?:source|title|name|path|url)\s*=\s*"([^"]*)"/i)?.[1] ??
      inner.match(/<(?:source|title)>([\s\S]*?)<\/(?:source|title)>/i)?.[1]?.trim();
    const content =
      inner.match(/<document_content>([\s\S]*?)<\/document_content>/i)?.[1] ??
      inner.replace(/<(source|title)>[\s\S]*?<\/\1>/gi, '');
    found.push({ name: named ?? `document ${found.length + 1}`, text: content.trim() });
  }
  if (found.length > 0) return found;
  for (const m of text.matchAll(/<source>([\s\S]*?)<\/source>\s*([\s\S]*?)(?=<source>|$)/gi)) {
    found.push({ name: m[1]!.trim(), text: m[2]!.replace(/<\/?[a-z_]+>/gi, '').trim() });
  }
  if (found.length > 0) return found;
  const headers = [...text.matchAll(/^\[(\d+)\]\s+(\S[^\n]*)$/gm)];
  headers.forEach((header, i) => {
    const start = header.index + header[0].length;
    const end = headers[i + 1]?.index ?? text.length;
    const body = text.slice(start, end).trim();
    if (body) found.push({ name: header[2]!.trim(), text: body });
  });
  return found;
}

/** Removes pasted documents from a user turn, leaving the question. */
export function withoutInlineSources(text: string): string {
  const stripped = text
    .replace(/<documents?\b[^>]*>[\s\S]*?<\/documents?>/gi, ' ')
    .replace(/<source>[\s\S]*?(?=<\/?[a-z_]+>|$)/gi, ' ')
    .replace(/^\[\d+\]\s+\S[^\n]*\n(?:(?!\[\d+\]\s)[^\n]*\n?)*/gm, ' ')
    .replace(/<\/?[a-z_]+>/gi, ' ');
  return stripped.replace(/\s+/g, ' ').trim();
}

/** Every source of retrieved context in the request, in the API's counting order. */
export function contextSources(
  request: Pick<MessageRequest, 'messages' | 'system'>,
): ContextSource[] {
  const sources: ContextSource[] = [];
  let documents = 0;
  let searchResults = 0;
  const visit = (block: ContentBlockParam) => {
    if (block.type === 'document') sources.push(documentSource(block, documents++));
    else if (block.type === 'search_result')
      sources.push(searchResultSource(block, searchResults++));
    else if (block.type === 'tool_result' && Array.isArray(block.content)) {
      for (const part of block.content) visit(part);
    }
  };
  const texts: string[] = [systemText(request)];
  for (const message of request.messages) {
    if (message.role !== 'user') continue;
    for (const block of blocksOf(message)) {
      visit(block);
      if (block.type === 'text') texts.push(block.text);
    }
  }
  for (const text of texts) {
    for (const inline of inlineSources(text)) sources.push({ kind: 'inline', ...inline });
  }
  return sources;
}

import type { MessagesRequest } from '@keel/core';

type RequestMessage = MessagesRequest['messages'][number];

/**
 * The core tool executor sends tool output to the model as text. Search tools return
 * `{ search_results: [...] }`; this turns those results back into `search_result` blocks with
 * citations enabled, so the model cites them. Applied to every request, so stored history (which
 * keeps the text form) is expanded the same way on later turns.
 */
export function expandSearchResults(
  request: MessagesRequest,
  searchTools: ReadonlySet<string>,
): MessagesRequest {
  if (searchTools.size === 0) return request;
  const toolNames = new Map<string, string>();
  let changed = false;
  const messages = request.messages.map((message): RequestMessage => {
    if (!Array.isArray(message.content)) return message;
    if (message.role === 'assistant') {
      for (const block of message.content) {
        if (block.type === 'tool_use') toolNames.set(block.id, block.name);
      }
      return message;
    }
    let touched = false;
    const content = message.content.map((block) => {
      if (block.type !== 'tool_result' || typeof block.content !== 'string') return block;
      if (!searchTools.has(toolNames.get(block.tool_use_id) ?? '')) return block;
      const results = parseResults(block.content);
      if (!results) return block;
      touched = true;
      return {
        ...block,
        content:
          results.length === 0
            ? [{ type: 'text' as const, text: 'No matching passages were found.' }]
            : results.map((result) => ({
                type: 'search_result' as const,
                source: result.source,
                title: result.title,
                content: result.content.map((text) => ({ type: 'text' as const, text })),
                citations: { enabled: true },
              })),
      };
    });
    if (!touched) return message;
    changed = true;
    return { ...message, content } as RequestMessage;
  });
  return changed ? { ...request, messages } : request;
}

interface SearchResultData {
  source: string;
  title: string;
  content: string[];
}

function parseResults(text: string): SearchResultData[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const list = (data as { search_results?: unknown })?.search_results;
  if (!Array.isArray(list)) return undefined;
  return (list as Array<Partial<Record<keyof SearchResultData, unknown>> | null>).filter(
    (item): item is SearchResultData =>
      typeof item?.source === 'string' &&
      typeof item?.title === 'string' &&
      Array.isArray(item?.content) &&
      (item.content as unknown[]).every((part) => typeof part === 'string' && part !== ''),
  );
}

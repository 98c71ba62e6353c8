import type { MessageRequest, ToolResultBlockParam } from '../messages/request-schema.ts';
import type { ReplyBlock } from './reply.ts';
import { lastToolResults, toolResultText, toolUsesById } from './conversation.ts';

const maxQuote = 300;

function shorten(text: string, limit = maxQuote): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1).trimEnd()}…`;
}

function scalar(value: unknown): string {
  if (value === null) return 'none';
  if (typeof value === 'object') return shorten(JSON.stringify(value), 80);
  return String(value);
}

/** Renders a JSON result as readable facts: `temperature: 18, conditions: cloudy`. */
function describeJson(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return 'no results';
    const shown = value
      .slice(0, 3)
      .map((item) =>
        typeof item === 'object' && item !== null ? describeJson(item) : scalar(item),
      );
    return `${value.length} result${value.length === 1 ? '' : 's'}: ${shown.join('; ')}${value.length > 3 ? '; …' : ''}`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).slice(0, 8);
    if (entries.length === 0) return 'an empty result';
    return entries.map(([key, item]) => `${key.replace(/_/g, ' ')}: ${scalar(item)}`).join(', ');
  }
  return scalar(value);
}

/** A short summary of one result's content (JSON rendered as facts, text quoted). */
function summarizeResult(content: string): string {
  const trimmed = content.trim();
  if (trimmed === '') return 'no output';
  if (/^[[{]/.test(trimmed)) {
    try {
      return shorten(describeJson(JSON.parse(trimmed)));
    } catch {
      // Not JSON after all: quote it as text.
    }
  }
  return shorten(trimmed);
}

function toolNameFor(
  result: ToolResultBlockParam,
  request: Pick<MessageRequest, 'messages'>,
): string {
  return toolUsesById(request).get(result.tool_use_id)?.name ?? 'the tool';
}

/**
 * The answer after tool results: what each tool returned, or that it failed and with what
 * error. Deterministic; the wording depends only on the results.
 */
export function toolResultReply(request: Pick<MessageRequest, 'messages'>): ReplyBlock[] {
  const results = lastToolResults(request);
  const lines = results.map((result) => {
    const name = toolNameFor(result, request);
    const text = toolResultText(result);
    if (result.is_error) {
      return `The ${name} tool failed${text ? `: ${shorten(text, 200)}` : ' without an error message'}.`;
    }
    const summary = summarizeResult(text);
    // A quoted sentence already ends the line ("... is PELICAN-42." gets no second period).
    return `${name} returned ${summary}${/[.!?…]$/.test(summary) ? '' : '.'}`;
  });
  const failures = results.filter((result) => result.is_error).length;
  let opening: string;
  if (failures === results.length) opening = "I wasn't able to complete that.";
  else if (failures > 0) opening = 'Here is what I found, though not everything worked:';
  else opening = "Here's what I found:";
  const closing = failures > 0 ? ' Would you like me to try again?' : '';
  const body =
    lines.length === 1 ? ` ${lines[0]}` : `\n${lines.map((line) => `- ${line}`).join('\n')}\n`;
  return [{ type: 'text', text: `${opening}${body}${closing}`.trim() }];
}

import type { ToolCallStatus, ToolOutput } from '@keel/core';

const statusText: Record<Exclude<ToolCallStatus, 'ok'>, string> = {
  error: 'failed',
  unknown_tool: 'is not a known tool',
  invalid_input: 'was called with invalid input',
  timeout: 'timed out',
  aborted: 'was stopped',
  skipped: 'was not run',
};

/** One line about a finished tool call for the UI: never the raw output, which may be long. */
export function toolSummary(
  name: string,
  status: ToolCallStatus,
  output: ToolOutput | undefined,
): string {
  if (status !== 'ok') return `${name} ${statusText[status]}`;
  if (output && typeof output === 'object' && !Array.isArray(output)) {
    const value = output as Record<string, unknown>;
    if (typeof value.error === 'string') return value.error;
    if (Array.isArray(value.orders)) return `${value.orders.length} order(s) found`;
    if (Array.isArray(value.search_results))
      return `${value.search_results.length} passage(s) found`;
    if (typeof value.order_id === 'string') return `${value.order_id}: ${String(value.status)}`;
  }
  const text = typeof output === 'string' ? output : JSON.stringify(output ?? null);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

import { words } from './words.ts';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The value a text gives a field by its label: "Service name: MyService" for `serviceName`,
 * "Extraction path: Users/data" for `extraction_path`. Forms, templates and prompts list values
 * this way; a model copies them rather than guessing.
 */
export function labelledValue(text: string, name: string): string | undefined {
  const spoken = words(name);
  if (spoken.length === 0 || !text.includes(':')) return undefined;
  const label = spoken.map(escapeRegExp).join('[\\s_-]*');
  const match = text.match(
    new RegExp(`(?:^|\\n)[ \\t]*(?:[-*•][ \\t]*)?${label}[ \\t]*:[ \\t]*([^\\n]+)`, 'i'),
  );
  const value = match?.[1]?.trim().replace(/^["'`]|["'`]$/g, '');
  return value ? value : undefined;
}

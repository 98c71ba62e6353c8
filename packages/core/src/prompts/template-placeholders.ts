/** `{{name}}`, with optional spaces inside the braces. */
const placeholderPattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The distinct placeholder names in a template, in order of first use. */
export function placeholderNames(template: string): string[] {
  return [...new Set([...template.matchAll(placeholderPattern)].map((match) => match[1]!))];
}

/**
 * Replaces every placeholder in one pass, so a value that itself contains `{{x}}` is inserted
 * literally and never expanded again (user text cannot inject template variables).
 */
export function fillPlaceholders(template: string, values: Record<string, string>): string {
  return template.replace(placeholderPattern, (whole, name: string) => values[name] ?? whole);
}

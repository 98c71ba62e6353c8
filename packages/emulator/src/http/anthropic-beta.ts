import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { invalidRequest } from './api-error.ts';

/** A beta name the API accepts: `active`, or `ended` (deprecated or generally available). */
const betaSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  status: z.enum(['active', 'ended']),
  /** Where the name comes from (the SDK's `AnthropicBeta` union, a real client, a changelog). */
  sources: z.array(z.string().min(1)).min(1),
});

/** data/betas.json: every name the emulator accepts, with its status and sources. */
export const betaTable = z
  .strictObject({ note: z.string(), asOf: z.iso.date(), betas: z.array(betaSchema).min(1) })
  .superRefine((table, context) => {
    const seen = new Set<string>();
    for (const beta of table.betas) {
      if (seen.has(beta.name)) context.addIssue({ code: 'custom', message: `${beta.name} twice` });
      seen.add(beta.name);
    }
  })
  .parse(JSON.parse(readFileSync(new URL('../../data/betas.json', import.meta.url), 'utf8')));

const known = new Map(betaTable.betas.map((beta) => [beta.name, beta]));

/**
 * The names a request lists in `anthropic-beta` (comma-separated, the header possibly repeated),
 * or the real API's 400 for names it does not know, all of them named:
 * "Unexpected value(s) `a`, `b` for the `anthropic-beta` header. Please consult our documentation
 * at docs.claude.com or try again without the header." (real responses in
 * github.com/pacifio/cersei#20 and github.com/QuantumNous/new-api#2975). A header with no name at
 * all is refused the same way, naming the empty value (github.com/aaronrussell/anthropix#15).
 * Ended betas (the SDK 1.9.0 changelog: "The API still accepts these values") pass.
 */
export function readBetas(request: IncomingMessage): string[] {
  const header = request.headers['anthropic-beta'];
  if (header === undefined) return [];
  const list = Array.isArray(header) ? header.join(',') : header;
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.length === 0 ? [''] : names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    const quoted = [...new Set(unknown)].map((name) => `\`${name}\``).join(', ');
    throw invalidRequest(
      `Unexpected value(s) ${quoted} for the \`anthropic-beta\` header. Please consult our documentation at docs.claude.com or try again without the header.`,
    );
  }
  return names;
}

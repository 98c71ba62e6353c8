import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { invalidRequest } from './api-error.ts';

/** The API versions whose rules the emulator implements (messages/version-rules.ts). */
const apiVersions = ['2023-06-01', '2026-10-21'] as const;

/** An `anthropic-version` the emulator serves. */
export type ApiVersion = (typeof apiVersions)[number];

// The served versions as data (data/api-versions.json), checked at load against the rules implemented.
z.strictObject({
  source: z.url(),
  asOf: z.iso.date(),
  note: z.string(),
  versions: z.array(
    z.strictObject({ name: z.enum(apiVersions), rules: z.string().min(1), source: z.url() }),
  ),
})
  .refine(
    (table) =>
      table.versions.length === apiVersions.length &&
      apiVersions.every((version) => table.versions.some((entry) => entry.name === version)),
    { error: `the table must list exactly the implemented versions: ${apiVersions.join(', ')}` },
  )
  .parse(
    JSON.parse(readFileSync(new URL('../../data/api-versions.json', import.meta.url), 'utf8')),
  );

const served = new Set<string>(apiVersions);

/**
 * The request's `anthropic-version`, or the real API's 400: a missing header is
 * `anthropic-version: header is required`, any other value (an unknown date, `banana`, a header
 * sent twice and joined as `2023-06-01, 2023-06-01`) is `anthropic-version: "<value>" is not a
 * valid version`. Wording from real responses reported in github.com/PipedreamHQ/pipedream#9697
 * (missing) and github.com/decolua/9router#2357 (invalid); neither is in the official docs.
 */
export function readApiVersion(request: IncomingMessage): ApiVersion {
  const header = request.headers['anthropic-version'];
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (value === undefined || value === '') {
    throw invalidRequest('anthropic-version: header is required');
  }
  if (!served.has(value)) {
    throw invalidRequest(`anthropic-version: ${JSON.stringify(value)} is not a valid version`);
  }
  return value as ApiVersion;
}

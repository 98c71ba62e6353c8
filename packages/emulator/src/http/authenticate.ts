import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.ts';

/** Which header carried the key: the two the API accepts. */
type CredentialHeader = 'x-api-key' | 'authorization';

/** The key a request presents, and where it came from. */
interface Credential {
  key: string;
  header: CredentialHeader;
}

/** What authentication checks a request against. */
export interface AuthenticateOptions {
  /** Accepted keys; absent = any non-empty key is accepted. */
  apiKeys?: readonly string[];
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), if any. */
function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^\s*bearer\s+(\S.*?)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * The credential a request presents. The API takes an API key in `x-api-key` (how 2023-06-01
 * SDKs and curl examples send it) or as `Authorization: Bearer <key>` (how the SDK majors of API
 * version 2026-10-21 send it; https://platform.claude.com/docs/en/api/migration-2026-10-21).
 * When both are present `x-api-key` is used (the docs do not say; an assumption listed in the
 * emulator README's fidelity table). An empty `x-api-key`, an empty bearer token or another
 * scheme (`Basic …`) present no credential.
 */
function credentialOf(request: IncomingMessage): Credential | undefined {
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim() !== '') {
    return { key: apiKey.trim(), header: 'x-api-key' };
  }
  const token = bearerToken(request.headers.authorization);
  return token ? { key: token, header: 'authorization' } : undefined;
}

/**
 * Authenticates an API request and returns its key, or throws the real API's 401:
 * `x-api-key header is required` without a credential (observed wording, recorded in
 * ../shared/reference/anthropic-api.md §1), `invalid x-api-key` for a key sent in `x-api-key`
 * that is not accepted (real responses, e.g. github.com/abi/screenshot-to-code#272,
 * github.com/emilsvennesson/opencode-websearch#15), and `Invalid bearer token` for a rejected
 * bearer credential (one of the authentication messages Claude Code 2.1.332 recognizes; no
 * public response shows the wording for an API key sent as a bearer token).
 */
export function authenticate(request: IncomingMessage, options: AuthenticateOptions = {}): string {
  const credential = credentialOf(request);
  if (!credential) throw new ApiError('authentication_error', 'x-api-key header is required');
  const allowed = options.apiKeys;
  if (allowed && !allowed.includes(credential.key)) {
    throw new ApiError(
      'authentication_error',
      credential.header === 'x-api-key' ? 'invalid x-api-key' : 'Invalid bearer token',
    );
  }
  return credential.key;
}

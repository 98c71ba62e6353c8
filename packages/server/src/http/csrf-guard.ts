import type { MiddlewareHandler } from 'hono';
import { RequestError } from './http-errors.ts';

/** Options of {@link csrfGuard}. */
export interface CsrfGuardOptions {
  /** Origins besides the server's own whose pages may change state (`http.allowedOrigins`). */
  allowedOrigins: readonly string[];
}

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses cross-site state changes on `/api/*`, whatever credential they carry:
 * - a browser's `Sec-Fetch-Site` must be `same-origin` (or `none`, a user's own navigation);
 * - an `Origin` header must be the server's own (its `Host`) or an allowed origin; `null` is refused;
 * - a body must be `Content-Type: application/json`, which no HTML form can send and which a
 *   cross-site `fetch` can only send after a CORS preflight the server never grants.
 * A request with none of the browser headers (the CLI, scripts, server-to-server) passes: CSRF
 * needs a victim's browser, and browsers always send `Origin` on cross-origin POSTs.
 */
export function csrfGuard(options: CsrfGuardOptions): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins.map((origin) => new URL(origin).origin));
  return async (c, next) => {
    if (!stateChanging.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    const isAllowedOrigin = origin !== undefined && allowed.has(origin);
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none' && !isAllowedOrigin) {
      throw crossSite(`Sec-Fetch-Site: ${site}`);
    }
    if (origin !== undefined && !isAllowedOrigin) {
      const host = c.req.header('host');
      let originHost: string | undefined;
      try {
        originHost = origin === 'null' ? undefined : new URL(origin).host;
      } catch {
        originHost = undefined;
      }
      if (originHost === undefined || originHost !== host) throw crossSite(`Origin: ${origin}`);
    }
    const contentType = c.req.header('content-type');
    const length = c.req.header('content-length');
    const hasBody =
      c.req.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
    if (contentType !== undefined || hasBody) {
      const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
      if (mediaType !== 'application/json') {
        throw new RequestError(
          'unsupported_media_type',
          'Send the request body as JSON with Content-Type: application/json',
          { contentType: contentType ?? null },
        );
      }
    }
    return next();
  };
}

function crossSite(evidence: string): RequestError {
  return new RequestError(
    'cross_site_request',
    'This request came from another site and was refused; use the assistant from its own page, or call the API without a browser',
    { evidence },
  );
}

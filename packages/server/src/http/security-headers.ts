import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * The page's content policy. The built UI (`packages/web/dist`) loads one module script and one
 * stylesheet from `/assets/` and has no inline script or style; attached-image previews are
 * `blob:` URLs. Markdown answers are inserted as HTML, so `script-src 'self'` is what stops a
 * prompt-injected answer from running code even if the renderer were ever to let markup through.
 */
const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'blob:', 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * Security headers on every response: the CSP above, no framing (`frame-ancestors 'none'` and
 * `X-Frame-Options: DENY` for older browsers), `nosniff`, no referrer, and `no-store` on the API
 * and metrics so answers, sessions and tokens never sit in a shared or browser cache.
 */
export function securityHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: contentSecurityPolicy,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    // HSTS is only honoured over TLS; over plain HTTP browsers ignore it.
    strictTransportSecurity: 'max-age=15552000',
  });
  return async (c, next) => {
    await headers(c, next);
    if (c.req.path.startsWith('/api/') || c.req.path === '/metrics') {
      c.res.headers.set('cache-control', 'no-store');
    }
  };
}

import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AccountStore } from '../accounts/account-store.ts';
import { authenticate } from './authenticate.ts';
import { RequestError } from './http-errors.ts';

/** Options of {@link bodyLimits}. */
export interface BodyLimitsOptions {
  /** The largest body of every route but the upload, bytes (`http.jsonBodyMaxBytes`). */
  jsonMaxBytes: number;
  /** The largest message upload (text and images as base64 JSON), bytes: `messageUploadMaxBytes`. */
  uploadMaxBytes: number;
  /** Authenticates the upload before its body is read. */
  accounts: AccountStore;
}

// The one route that carries images; everything else is a few hundred bytes of JSON.
const uploadRoute = /^\/api\/sessions\/[^/]+\/messages$/;

function tooLarge(maxBytes: number) {
  return () => {
    throw new RequestError(
      'payload_too_large',
      `The request body is larger than this route accepts (${maxBytes} bytes); send less`,
      { maxBytes },
    );
  };
}

/**
 * Caps every request body while it is read: a `Content-Length` over the cap is refused before
 * any body byte is read, a chunked body is counted as it streams and cut off at the cap (Node's
 * parser never hands over more than a declared `Content-Length`). Only the message upload gets the
 * image-sized cap, and only once its credentials check out, so an anonymous client can make the
 * server hold at most `jsonMaxBytes` per request.
 */
export function bodyLimits(options: BodyLimitsOptions): MiddlewareHandler {
  const json = bodyLimit({
    maxSize: options.jsonMaxBytes,
    onError: tooLarge(options.jsonMaxBytes),
  });
  const upload = bodyLimit({
    maxSize: options.uploadMaxBytes,
    onError: tooLarge(options.uploadMaxBytes),
  });
  return async (c, next) => {
    if (c.req.method === 'POST' && uploadRoute.test(c.req.path)) {
      await authenticate(c, options.accounts);
      return upload(c, next);
    }
    return json(c, next);
  };
}

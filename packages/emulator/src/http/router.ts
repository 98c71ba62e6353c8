import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiVersion } from './api-version.ts';

/** What a route handler receives. */
export interface RouteContext {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  params: Record<string, string>;
  requestId: string;
  /** The API key the request authenticated with (empty on admin routes). */
  apiKey: string;
  /** Headers every response to this request must carry (request-id, emulator marker, limits). */
  headers: Record<string, string>;
  /** The request's `anthropic-version` (absent on admin routes, which do not read it). */
  apiVersion?: ApiVersion;
  /** The names in `anthropic-beta`, all known to the API (empty on admin routes). */
  betas: readonly string[];
}

type RouteHandler = (context: RouteContext) => Promise<void> | void;

export interface Route {
  method: string;
  /** A path pattern such as `/v1/messages/batches/:id/results`. */
  pattern: string;
  handler: RouteHandler;
  /** Admin routes skip API-key checks, rate limits and faults. */
  admin?: boolean;
}

interface CompiledRoute extends Route {
  segments: string[];
}

/** A tiny exact-segment router: enough for the API's dozen paths, and cheap on the hot path. */
export class Router {
  readonly #routes: CompiledRoute[] = [];

  add(...routes: Route[]): this {
    for (const route of routes) this.#routes.push({ ...route, segments: route.pattern.split('/') });
    return this;
  }

  /** The matching route and its parameters; `methodMismatch` when only the method differs. */
  match(
    method: string,
    path: string,
  ): { route?: Route; params: Record<string, string>; methodMismatch: boolean } {
    const parts = path.split('/');
    let methodMismatch = false;
    for (const route of this.#routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const segment = route.segments[i]!;
        const part = parts[i]!;
        if (segment.startsWith(':')) {
          if (part === '') {
            ok = false;
            break;
          }
          params[segment.slice(1)] = decodeURIComponent(part);
        } else if (segment !== part) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (route.method !== method) {
        methodMismatch = true;
        continue;
      }
      return { route, params, methodMismatch: false };
    }
    return { params: {}, methodMismatch };
  }
}

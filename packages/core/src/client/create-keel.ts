import { loadEnvironment } from '../config/load-environment.ts';
import { KeelClient } from './keel-client.ts';
import type { KeelClientOptions } from './keel-client-options.ts';

/**
 * Creates a Keel client. See `KeelClientOptions`; every option has a production default. Without
 * `environment` or `routing`, the routing overrides of `KEEL_ENV` (the environment, else `.env`,
 * else `development`) apply; a `KEEL_ENV` that names no environment is a `ValidationError`.
 */
export function createKeel(options: KeelClientOptions = {}): KeelClient {
  if (options.environment !== undefined || options.routing !== undefined) {
    return new KeelClient(options);
  }
  return new KeelClient({ ...options, environment: loadEnvironment().environment });
}

import { KeelClient } from './keel-client.ts';
import type { KeelClientOptions } from './keel-client-options.ts';

/** Creates a Keel client. See `KeelClientOptions`; every option has a production default. */
export function createKeel(options: KeelClientOptions = {}): KeelClient {
  return new KeelClient(options);
}

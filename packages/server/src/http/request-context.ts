import type { Account } from '../accounts/account-store.ts';
import type { RequestOrigin } from './client-address.ts';

// What the front-door middleware learns about a request, for the routes after it.
declare module 'hono' {
  interface ContextVariableMap {
    /** The client address and TLS flag (`client-address.ts`), set for every request. */
    requestOrigin: RequestOrigin;
    /** The signed-in account, once a middleware or route has authenticated the request. */
    account: Account;
  }
}

export {};

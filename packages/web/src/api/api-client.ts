import { ApiError, apiErrorFrom } from './api-error.ts';
import type {
  Account,
  Registration,
  ServerStatus,
  SessionDetail,
  SessionSummary,
  UsageGrouping,
  UsageReport,
} from './api-types.ts';
import { streamChat } from './stream-chat.ts';
import type { ChatEvent } from '@keel/protocol';

/** Options of {@link ApiClient}. */
export interface ApiClientOptions {
  /** The server's origin; '' (the default) for the page's own. */
  baseUrl?: string;
  /** The fetch to use. Default the global one. */
  fetch?: typeof fetch;
}

/**
 * The assistant's HTTP API as the browser uses it: the httpOnly session cookie carries the login,
 * every refusal becomes an ApiError with the server's code.
 */
export class ApiClient {
  readonly #baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #signedOutListeners = new Set<() => void>();

  constructor(options: ApiClientOptions = {}) {
    this.#baseUrl = options.baseUrl ?? '';
    const base = options.fetch ?? ((input, init) => fetch(input, init));
    // A 401 anywhere but the sign-in calls means the login ended (expired or revoked token).
    this.#fetch = async (input, init) => {
      const response = await base(input, init);
      const path = String(input instanceof Request ? input.url : input);
      if (response.status === 401 && !/\/api\/(me|auth\/)/.test(path)) {
        for (const listener of this.#signedOutListeners) listener();
      }
      return response;
    };
  }

  /** Calls `listener` when a request finds the login has ended; returns an unsubscribe. */
  onSignedOut(listener: () => void): () => void {
    this.#signedOutListeners.add(listener);
    return () => this.#signedOutListeners.delete(listener);
  }

  status(): Promise<ServerStatus> {
    return this.#json('GET', '/api/status');
  }

  /** The signed-in account, or undefined when nobody is. */
  async me(): Promise<Account | undefined> {
    try {
      return (await this.#json<{ account: Account }>('GET', '/api/me')).account;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return undefined;
      throw error;
    }
  }

  async login(email: string, password: string): Promise<Account> {
    return (await this.#json<{ account: Account }>('POST', '/api/auth/login', { email, password }))
      .account;
  }

  /** Creates an account and signs in to it (the server sets the session cookie). */
  async register(registration: Registration): Promise<Account> {
    return (await this.#json<{ account: Account }>('POST', '/api/auth/register', registration))
      .account;
  }

  async logout(): Promise<void> {
    await this.#json('POST', '/api/auth/logout', {});
  }

  async listSessions(): Promise<SessionSummary[]> {
    return (await this.#json<{ sessions: SessionSummary[] }>('GET', '/api/sessions')).sessions;
  }

  async createSession(title?: string): Promise<SessionSummary> {
    return (
      await this.#json<{ session: SessionSummary }>('POST', '/api/sessions', title ? { title } : {})
    ).session;
  }

  getSession(id: string): Promise<SessionDetail> {
    return this.#json('GET', `/api/sessions/${encodeURIComponent(id)}`);
  }

  async renameSession(id: string, title: string): Promise<SessionSummary> {
    return (
      await this.#json<{ session: SessionSummary }>(
        'PATCH',
        `/api/sessions/${encodeURIComponent(id)}`,
        { title },
      )
    ).session;
  }

  async deleteSession(id: string): Promise<void> {
    await this.#json('DELETE', `/api/sessions/${encodeURIComponent(id)}`);
  }

  /** Asks the server to stop the session's running answer; true if one was running. */
  async stop(id: string): Promise<boolean> {
    return (
      await this.#json<{ stopped: boolean }>('POST', `/api/sessions/${encodeURIComponent(id)}/stop`)
    ).stopped;
  }

  /** Sends a message; yields the streamed answer's events. */
  send(options: {
    sessionId: string;
    text: string;
    images: Array<{ mediaType: string; data: string }>;
    signal?: AbortSignal;
  }): AsyncGenerator<ChatEvent> {
    return streamChat({ ...options, baseUrl: this.#baseUrl, fetch: this.#fetch });
  }

  usage(groupBy: UsageGrouping, days = 30): Promise<UsageReport> {
    return this.#json('GET', `/api/usage?groupBy=${groupBy}&days=${days}`);
  }

  async #json<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError({
        code: 'network_error',
        message: 'The server cannot be reached. Check that it is running, then try again.',
        status: 0,
      });
    }
    if (!response.ok) throw await apiErrorFrom(response);
    return (await response.json()) as T;
  }
}

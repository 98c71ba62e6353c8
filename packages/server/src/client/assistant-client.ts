import { isKeelErrorCode, KeelError } from '@keel/errors';
import type { ChatEvent, OutcomeNotice, TurnOutcome } from '../chat/chat-events.ts';
import { readChatEvents } from '@keel/protocol';

/**
 * An error response of the assistant API, with its code and status. A code this build does not
 * know (a newer server) becomes `http_error`, the server's own code kept as `serverCode`.
 */
export class AssistantApiError extends KeelError<{
  status: number;
  details?: unknown;
  serverCode?: string;
}> {
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(isKeelErrorCode(code) ? code : 'http_error', message, {
      status,
      ...(details === undefined ? {} : { details }),
      ...(isKeelErrorCode(code) ? {} : { serverCode: code }),
    });
  }
}

/** Options of {@link AssistantClient}. */
export interface AssistantClientOptions {
  /** The server, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** An API token or session token. */
  token?: string;
  /** The fetch to use. Default the global one. */
  fetch?: typeof fetch;
}

/** A small typed client of the assistant's HTTP API (the CLI and tests use it). */
export class AssistantClient {
  readonly baseUrl: string;
  token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: AssistantClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.token = options.token;
    this.#fetch = options.fetch ?? fetch;
  }

  async #request(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    const response = await this.#fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
    if (!response.ok) {
      const payload = (await response.json().catch(() => undefined)) as
        { error?: { code?: string; message?: string; details?: unknown } } | undefined;
      throw new AssistantApiError(
        response.status,
        payload?.error?.code ?? 'http_error',
        payload?.error?.message ?? `HTTP ${response.status}`,
        payload?.error?.details,
      );
    }
    return response;
  }

  async #json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.#request(method, path, body)).json()) as T;
  }

  /** Logs in with email and password and keeps the session token for later calls. */
  async login(
    email: string,
    password: string,
  ): Promise<{ id: string; email: string; role: string }> {
    const response = await this.#request('POST', '/api/auth/login', { email, password });
    const cookie = response.headers.get('set-cookie') ?? '';
    const match = /keel_session=([^;]+)/.exec(cookie);
    if (match) this.token = match[1];
    return ((await response.json()) as { account: { id: string; email: string; role: string } })
      .account;
  }

  status(): Promise<{
    name: string;
    mode: string;
    model: string;
    demo: { accounts: Array<{ email: string; password: string }> } | null;
  }> {
    return this.#json('GET', '/api/status');
  }

  async createToken(label = 'cli'): Promise<string> {
    return (await this.#json<{ token: string }>('POST', '/api/tokens', { label })).token;
  }

  async listSessions(): Promise<Array<{ id: string; title: string; updatedAtMs: number }>> {
    return (
      await this.#json<{ sessions: Array<{ id: string; title: string; updatedAtMs: number }> }>(
        'GET',
        '/api/sessions',
      )
    ).sessions;
  }

  async createSession(title?: string): Promise<{ id: string; title: string }> {
    return (
      await this.#json<{ session: { id: string; title: string } }>(
        'POST',
        '/api/sessions',
        title ? { title } : {},
      )
    ).session;
  }

  getSession(id: string): Promise<{
    session: { id: string; title: string };
    messages: Array<{
      seq: number;
      role: string;
      status: string;
      content: Array<Record<string, unknown>>;
      /** Set on the answer of a turn that did not simply finish, with the words to show. */
      outcome?: TurnOutcome;
      notice?: OutcomeNotice;
    }>;
  }> {
    return this.#json('GET', `/api/sessions/${encodeURIComponent(id)}`);
  }

  async renameSession(id: string, title: string): Promise<void> {
    await this.#json('PATCH', `/api/sessions/${encodeURIComponent(id)}`, { title });
  }

  async deleteSession(id: string): Promise<void> {
    await this.#json('DELETE', `/api/sessions/${encodeURIComponent(id)}`);
  }

  async stop(id: string): Promise<boolean> {
    return (
      await this.#json<{ stopped: boolean }>('POST', `/api/sessions/${encodeURIComponent(id)}/stop`)
    ).stopped;
  }

  usage(groupBy: string, options: { days?: number; scope?: 'me' | 'all' } = {}): Promise<unknown> {
    const query = new URLSearchParams({
      groupBy,
      ...(options.days ? { days: String(options.days) } : {}),
      ...(options.scope ? { scope: options.scope } : {}),
    });
    return this.#json('GET', `/api/usage?${query}`);
  }

  /** Sends a message and yields the answer's events as they stream. */
  async *send(
    sessionId: string,
    message: { text: string; images?: Array<{ mediaType: string; data: string }> },
    signal?: AbortSignal,
  ): AsyncGenerator<ChatEvent> {
    const response = await this.#request(
      'POST',
      `/api/sessions/${encodeURIComponent(sessionId)}/messages`,
      message,
      signal,
    );
    if (!response.body) return;
    yield* readChatEvents(response.body);
  }
}

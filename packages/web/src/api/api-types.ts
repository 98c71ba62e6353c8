/** Shapes of the assistant's HTTP API responses, as the UI uses them. */

import type { OutcomeNotice, TurnOutcome } from '@keel/protocol';

/** The signed-in account. */
export interface Account {
  id: string;
  email: string;
  displayName: string;
  role: 'customer' | 'admin';
}

/** A demo login shown on the login page in demo mode. */
export interface DemoAccount {
  email: string;
  password: string;
  displayName: string;
  role: 'customer' | 'admin';
}

/** `GET /api/status`. */
export interface ServerStatus {
  /** The assistant's name, e.g. "Acme Store support". */
  name: string;
  /** `emulator` when no ANTHROPIC_API_KEY is set. */
  mode: 'claude' | 'emulator';
  /** A sentence saying where answers come from. */
  modeDescription?: string;
  /** The chat model. */
  model: string;
  /** The largest image accepted, in bytes. */
  images?: { maxBytes: number };
  /** Demo logins, or null outside demo mode. */
  demo: { accounts: DemoAccount[] } | null;
  /** Who may create an account (absent from older servers: treat as `open`). */
  registration?: { mode: RegistrationMode };
}

/** `open`: anyone; `invite`: with a code an administrator made; `closed`: the operator makes accounts. */
export type RegistrationMode = 'open' | 'invite' | 'closed';

/** `POST /api/auth/register`. */
export interface Registration {
  email: string;
  /** At least 8 characters. */
  password: string;
  displayName: string;
  /** Needed when the server's registration mode is `invite`. */
  inviteCode?: string;
}

/** A session (conversation) in the list. */
export interface SessionSummary {
  id: string;
  title: string;
  createdAtMs: number;
  updatedAtMs: number;
}

/** A content block of a stored message (image bytes are left out by the server). */
export type StoredBlock =
  | { type: 'text'; text: string; citations?: unknown[] | null }
  | { type: 'image'; mediaType: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; is_error?: boolean; content?: unknown }
  | { type: 'thinking'; thinking: string }
  | { type: string; [key: string]: unknown };

/** A stored message of a session. */
export interface StoredMessage {
  seq: number;
  role: 'user' | 'assistant';
  /** `incomplete` when the answer was stopped or cut; `failed` when the turn was refused upstream. */
  status: 'complete' | 'streaming' | 'incomplete' | 'failed';
  createdAtMs: number;
  content: StoredBlock[];
  /** On the answer of a turn that did not simply finish (cut off, refused, tool-step cap). */
  outcome?: TurnOutcome;
  /** The server's words for that outcome. */
  notice?: OutcomeNotice;
}

/** `GET /api/sessions/:id`. */
export interface SessionDetail {
  session: SessionSummary;
  messages: StoredMessage[];
  /** An answer is being streamed right now. */
  streaming: boolean;
}

/** Grouping of `GET /api/usage`. */
export type UsageGrouping = 'day' | 'feature' | 'model' | 'user' | 'session';

/** One group of the usage report. */
export interface UsageGroup {
  key: string;
  requests: number;
  failedRequests: number;
  partialRequests: number;
  /** Token counts by bucket. */
  tokens: {
    input: number;
    output: number;
    cacheRead: number;
    cacheWrite5m: number;
    cacheWrite1h: number;
  };
  costUsd: number;
  costUsdText: string;
  cacheHitRatio: number;
}

/** `GET /api/usage`. */
export interface UsageReport {
  scope: 'me' | 'all';
  groupBy: UsageGrouping;
  days: number;
  total: UsageGroup;
  groups: UsageGroup[];
}

import { KeelError } from '@keel/errors';
import type { FeatureMigrations, SqlRow, Storage } from '../storage/storage.ts';
import { sqlNumber, sqlStringOrNull } from '../storage/sql-values.ts';
import type { LayerHashes } from '../cache/cache-break-detector.ts';
import type { MessageParam } from '../call/conversation-shape.ts';
import { timeOrderedId } from '../storage/time-ordered-id.ts';

/**
 * A stored turn's state. A streamed answer is stored as `streaming` when it starts and becomes
 * `complete` when it ends; one found `streaming` after a crash or an abort is `incomplete`, and
 * is never sent back to the model as if it were finished. A turn the API refused (a 4xx: a bad
 * image, a request too large) is `failed`, its user message included: it stays in the history
 * the user sees but is never sent again, so one bad request cannot break later turns. The status
 * column is free text, so `failed` needed no migration.
 */
export type StoredMessageStatus = 'complete' | 'streaming' | 'incomplete' | 'failed';

export interface StoredMessage {
  conversationId: string;
  /** Position in the conversation, from 0. */
  seq: number;
  message: MessageParam;
  status: StoredMessageStatus;
  /**
   * How the turn this message ended came out, when it did not simply finish: a label the caller
   * chose (the server stores `truncated`, `refused`, `max_iterations`...), kept so a reloaded
   * conversation still says an answer was cut off. Undefined for ordinary messages.
   */
  outcome?: string;
  createdAtMs: number;
}

/** What context management remembers about a conversation between turns. */
export interface ContextState {
  /** The first message still sent (everything before it is trimmed). */
  trimStart: number;
  /** A summary of the trimmed turns, pinned in later requests. */
  summary: string | null;
  /** Structured memory kept compact: facts, decisions, preferences. */
  memory: ConversationMemory;
  /**
   * The stable layers (tools, system, pinned) of the last request prepared, which the prompt
   * cache holds until the next one: a change is reported as a cache break, and their absence
   * means no request was prepared yet. Kept with the conversation because the prompt cache is
   * the API's, shared by every process that serves the conversation and kept across restarts.
   */
  lastRequestLayers?: LayerHashes;
}

export interface ConversationMemory {
  facts: string[];
  decisions: string[];
  preferences: string[];
}

export interface Conversation {
  id: string;
  /** The user the conversation belongs to. */
  ownerId: string;
  title: string;
  createdAtMs: number;
  updatedAtMs: number;
  context: ContextState;
}

/** Raised when a conversation does not exist (or does not belong to the caller). */
export class ConversationNotFoundError extends KeelError<
  { conversationId: string },
  'conversation_not_found'
> {
  constructor(conversationId: string) {
    super('conversation_not_found', `Conversation ${conversationId} was not found`, {
      conversationId,
    });
  }
}

export const conversationMigrations: FeatureMigrations = {
  feature: 'conversations',
  migrations: [
    {
      version: 1,
      name: 'conversations and their messages',
      sql: `
CREATE TABLE IF NOT EXISTS keel_conversations (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  title TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  trim_start INTEGER NOT NULL DEFAULT 0,
  summary TEXT,
  memory TEXT NOT NULL DEFAULT '{"facts":[],"decisions":[],"preferences":[]}'
);
CREATE INDEX IF NOT EXISTS keel_conversations_owner ON keel_conversations (owner_id, updated_at_ms);
CREATE TABLE IF NOT EXISTS keel_conversation_messages (
  conversation_id TEXT NOT NULL REFERENCES keel_conversations (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);`,
    },
    {
      version: 2,
      name: 'the outcome of the turn a message ends',
      sql: 'ALTER TABLE keel_conversation_messages ADD COLUMN outcome TEXT;',
    },
    {
      version: 3,
      name: 'the cached layers of the last request (ContextState.lastRequestLayers)',
      sql: 'ALTER TABLE keel_conversations ADD COLUMN last_request_layers TEXT;',
    },
  ],
};

export interface ConversationStoreOptions {
  storage: Storage;
  /** Milliseconds since the epoch. Default Date.now. */
  now?: () => number;
  /** New conversation ids. Default time-ordered UUIDs (version 7). */
  newId?: () => string;
}

function toConversation(row: SqlRow): Conversation {
  return {
    id: String(row.id),
    ownerId: String(row.owner_id),
    title: String(row.title),
    createdAtMs: sqlNumber(row.created_at_ms),
    updatedAtMs: sqlNumber(row.updated_at_ms),
    context: {
      trimStart: sqlNumber(row.trim_start),
      summary: sqlStringOrNull(row.summary),
      memory: JSON.parse(String(row.memory)) as ConversationMemory,
      ...(typeof row.last_request_layers === 'string'
        ? { lastRequestLayers: JSON.parse(row.last_request_layers) as LayerHashes }
        : {}),
    },
  };
}

/**
 * Keeps every conversation's full history (SQLite or PostgreSQL, through the storage interface);
 * what is sent to the model is a view of it chosen by a trimming strategy. Every read and write
 * takes the owner, so one user can never reach another's conversation.
 */
export class ConversationStore {
  readonly #storage: Storage;
  readonly #now: () => number;
  readonly #newId: () => string;
  #ready?: Promise<unknown>;

  constructor(options: ConversationStoreOptions) {
    this.#storage = options.storage;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => timeOrderedId());
  }

  /** Applies the store's migrations (once). */
  init(): Promise<unknown> {
    this.#ready ??= this.#storage.migrate(conversationMigrations);
    return this.#ready;
  }

  async create(options: { ownerId: string; title?: string }): Promise<Conversation> {
    await this.init();
    const now = this.#now();
    const id = this.#newId();
    await this.#storage.execute(
      'INSERT INTO keel_conversations (id, owner_id, title, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?)',
      [id, options.ownerId, options.title ?? 'New conversation', now, now],
    );
    return this.get(id, options.ownerId);
  }

  /** The conversation, if it belongs to `ownerId`; else ConversationNotFoundError. */
  async get(id: string, ownerId: string): Promise<Conversation> {
    await this.init();
    const [row] = await this.#storage.query(
      'SELECT * FROM keel_conversations WHERE id = ? AND owner_id = ?',
      [id, ownerId],
    );
    if (!row) throw new ConversationNotFoundError(id);
    return toConversation(row);
  }

  /** The owner's conversations, most recently updated first. */
  async list(ownerId: string, options: { limit?: number } = {}): Promise<Conversation[]> {
    await this.init();
    const rows = await this.#storage.query(
      'SELECT * FROM keel_conversations WHERE owner_id = ? ORDER BY updated_at_ms DESC, id LIMIT ?',
      [ownerId, options.limit ?? 100],
    );
    return rows.map(toConversation);
  }

  async rename(id: string, ownerId: string, title: string): Promise<Conversation> {
    await this.init();
    const { changes } = await this.#storage.execute(
      'UPDATE keel_conversations SET title = ?, updated_at_ms = ? WHERE id = ? AND owner_id = ?',
      [title, this.#now(), id, ownerId],
    );
    if (changes === 0) throw new ConversationNotFoundError(id);
    return this.get(id, ownerId);
  }

  async delete(id: string, ownerId: string): Promise<void> {
    await this.init();
    await this.#storage.transaction(async (tx) => {
      const { changes } = await tx.execute(
        'DELETE FROM keel_conversations WHERE id = ? AND owner_id = ?',
        [id, ownerId],
      );
      if (changes === 0) throw new ConversationNotFoundError(id);
      await tx.execute('DELETE FROM keel_conversation_messages WHERE conversation_id = ?', [id]);
    });
  }

  /** Appends a message; returns its sequence number. */
  async append(
    id: string,
    ownerId: string,
    message: MessageParam,
    status: StoredMessageStatus = 'complete',
  ): Promise<number> {
    await this.init();
    return this.#storage.transaction(async (tx) => {
      const [owned] = await tx.query(
        'SELECT id FROM keel_conversations WHERE id = ? AND owner_id = ?',
        [id, ownerId],
      );
      if (!owned) throw new ConversationNotFoundError(id);
      const [last] = await tx.query(
        'SELECT MAX(seq) AS seq FROM keel_conversation_messages WHERE conversation_id = ?',
        [id],
      );
      const seq = last?.seq === null || last?.seq === undefined ? 0 : sqlNumber(last.seq) + 1;
      const now = this.#now();
      await tx.execute(
        'INSERT INTO keel_conversation_messages (conversation_id, seq, role, content, status, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
        [id, seq, message.role, JSON.stringify(message.content), status, now],
      );
      await tx.execute('UPDATE keel_conversations SET updated_at_ms = ? WHERE id = ?', [now, id]);
      return seq;
    });
  }

  /** Replaces a stored message's content and status (a streamed answer that finished or broke). */
  async update(
    id: string,
    ownerId: string,
    seq: number,
    message: MessageParam,
    status: StoredMessageStatus,
  ): Promise<void> {
    await this.init();
    await this.get(id, ownerId);
    await this.#storage.execute(
      'UPDATE keel_conversation_messages SET content = ?, status = ? WHERE conversation_id = ? AND seq = ?',
      [JSON.stringify(message.content), status, id, seq],
    );
  }

  /** Sets the status of stored messages, keeping their content (a refused turn becomes `failed`). */
  async setStatus(
    id: string,
    ownerId: string,
    seqs: readonly number[],
    status: StoredMessageStatus,
  ): Promise<void> {
    await this.init();
    await this.get(id, ownerId);
    for (const seq of seqs) {
      await this.#storage.execute(
        'UPDATE keel_conversation_messages SET status = ? WHERE conversation_id = ? AND seq = ?',
        [status, id, seq],
      );
    }
  }

  /** Records how the turn ended by message `seq` came out (see {@link StoredMessage.outcome}). */
  async setOutcome(id: string, ownerId: string, seq: number, outcome: string): Promise<void> {
    await this.init();
    await this.get(id, ownerId);
    await this.#storage.execute(
      'UPDATE keel_conversation_messages SET outcome = ? WHERE conversation_id = ? AND seq = ?',
      [outcome, id, seq],
    );
  }

  /** Every stored message in order, including incomplete and failed ones (marked). */
  async messages(id: string, ownerId: string): Promise<StoredMessage[]> {
    await this.init();
    await this.get(id, ownerId);
    const rows = await this.#storage.query(
      'SELECT * FROM keel_conversation_messages WHERE conversation_id = ? ORDER BY seq',
      [id],
    );
    return rows.map((row) => ({
      conversationId: id,
      seq: sqlNumber(row.seq),
      message: {
        role: row.role as 'user' | 'assistant',
        content: JSON.parse(String(row.content)) as StoredMessage['message']['content'],
      },
      status: String(row.status) as StoredMessageStatus,
      ...(typeof row.outcome === 'string' ? { outcome: row.outcome } : {}),
      createdAtMs: sqlNumber(row.created_at_ms),
    }));
  }

  /** Saves what context management remembers for the next turn. */
  async saveContext(id: string, ownerId: string, context: ContextState): Promise<void> {
    await this.init();
    const { changes } = await this.#storage.execute(
      'UPDATE keel_conversations SET trim_start = ?, summary = ?, memory = ?, last_request_layers = ? WHERE id = ? AND owner_id = ?',
      [
        context.trimStart,
        context.summary,
        JSON.stringify(context.memory),
        context.lastRequestLayers ? JSON.stringify(context.lastRequestLayers) : null,
        id,
        ownerId,
      ],
    );
    if (changes === 0) throw new ConversationNotFoundError(id);
  }

  /**
   * Marks every message still `streaming` as `incomplete`: run at start-up, after a crash killed
   * the process in the middle of an answer. Returns how many were marked.
   */
  async markInterrupted(): Promise<number> {
    await this.init();
    const { changes } = await this.#storage.execute(
      "UPDATE keel_conversation_messages SET status = 'incomplete' WHERE status = 'streaming'",
    );
    return changes;
  }
}

import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { KeelClient } from '@keel/core';
import { connect, isMain } from '../shared/connect.ts';

/** The assistant's personas: each one is only a system prompt. */
export const personas = {
  'code-reviewer':
    'You review code as a senior engineer: find bugs, security holes and slow paths, suggest fixes, and end with a 1-10 quality rating. Sections: Summary, Issues, Suggestions, Rating.',
  'technical-writer':
    'You write developer documentation: short, concrete, with working examples, headed sections, and every term defined where it first appears. Your reader is an intermediate developer.',
  'sql-expert':
    'You write and tune SQL for PostgreSQL, MySQL and SQLite: readable queries, the plan explained, and the indexes that would help.',
} as const;

export type PersonaName = keyof typeof personas;

/** A conversation with one persona; the history is kept here, the persona is the system prompt. */
export class PersonaAssistant {
  readonly #keel: KeelClient;
  readonly #system: string;
  readonly #history: MessageParam[] = [];

  constructor(keel: KeelClient, persona: PersonaName | { system: string }) {
    this.#keel = keel;
    this.#system = typeof persona === 'string' ? personas[persona] : persona.system;
  }

  /** The system prompt in use. */
  get system(): string {
    return this.#system;
  }

  /** Sends one message with the history so far and remembers the answer. */
  async chat(text: string): Promise<string> {
    this.#history.push({ role: 'user', content: text });
    const result = await this.#keel.call(
      {
        model: 'claude-haiku-5-5',
        max_tokens: 1024,
        system: this.#system,
        messages: this.#history,
      },
      { tags: { feature: 'personas' } },
    );
    this.#history.push({ role: 'assistant', content: result.text });
    return result.text;
  }

  /** Forgets the conversation (the persona stays). */
  reset(): void {
    this.#history.length = 0;
  }

  /** How many messages the next call will send. */
  get turns(): number {
    return this.#history.length;
  }
}

/** Offline: each persona's answer is recognizable by its system prompt. */
export const scenarios = [
  {
    name: 'reviewer',
    match: { systemContains: 'senior engineer' },
    replies: [{ content: [{ type: 'text' as const, text: 'Summary: fine. Rating: 8/10' }] }],
  },
  {
    name: 'sql',
    match: { systemContains: 'tune SQL' },
    replies: [
      { content: [{ type: 'text' as const, text: 'CREATE INDEX ON orders (customer_id);' }] },
    ],
  },
];

if (isMain(import.meta.url)) {
  const connection = await connect({ scenarios });
  try {
    const reviewer = new PersonaAssistant(connection.keel, 'code-reviewer');
    console.log(await reviewer.chat('Review: const x = eval(input)'));
  } finally {
    await connection.close();
  }
}

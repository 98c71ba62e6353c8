import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type ExampleConnection } from '../shared/connect.ts';
import { PersonaAssistant, scenarios } from './personas.ts';

let connection: ExampleConnection;
beforeAll(async () => {
  delete process.env.ANTHROPIC_API_KEY;
  connection = await connect({ scenarios });
});
afterAll(() => connection?.close());

it('answers in the voice its system prompt sets, keeping its own history', async () => {
  const reviewer = new PersonaAssistant(connection.keel, 'code-reviewer');
  const sql = new PersonaAssistant(connection.keel, 'sql-expert');
  expect(await reviewer.chat('Review: const x = eval(input)')).toContain('Rating: 8/10');
  expect(await sql.chat('Orders by customer are slow')).toContain('CREATE INDEX');
  await reviewer.chat('And now?');
  expect(reviewer.turns).toBe(4);
  expect(sql.turns).toBe(2);
  reviewer.reset();
  expect(reviewer.turns).toBe(0);
});

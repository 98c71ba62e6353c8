import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type ExampleConnection } from '../shared/connect.ts';
import { extractContact, sampleText, scenarios } from './contact-extraction.ts';

let connection: ExampleConnection;
beforeAll(async () => {
  delete process.env.ANTHROPIC_API_KEY;
  connection = await connect({ scenarios });
});
afterAll(() => connection?.close());

it('repairs JSON that does not parse and returns the typed contact', async () => {
  const { contact, repaired } = await extractContact(connection.keel, sampleText);
  expect(repaired).toBe(true);
  expect(contact).toEqual({
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    phone: null,
    company: 'Analytical Engines',
  });
});

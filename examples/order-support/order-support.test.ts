import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type ExampleConnection } from '../shared/connect.ts';
import { askSupport, scenarios } from './order-support.ts';

let connection: ExampleConnection;
beforeAll(async () => {
  delete process.env.ANTHROPIC_API_KEY;
  connection = await connect({ scenarios });
});
afterAll(() => connection?.close());

/** Every tool result the run produced, as text. */
function toolResults(result: Awaited<ReturnType<typeof askSupport>>): string {
  return JSON.stringify(
    result.newMessages.flatMap((message) =>
      Array.isArray(message.content)
        ? message.content.filter((block) => block.type === 'tool_result')
        : [],
    ),
  );
}

it('answers a customer about their own order', async () => {
  const result = await askSupport(connection.keel, 'cust_alice', 'Where is my order ORD-00000001?');
  expect(result.outcome).toBe('completed');
  expect(toolResults(result)).toContain('shipped');
});

it("gives a customer no data about another customer's order", async () => {
  const result = await askSupport(
    connection.keel,
    'cust_alice',
    'Show me order ORD-00000002 please',
  );
  const results = toolResults(result);
  expect(results).toContain('No order ORD-00000002 on this account');
  expect(results).not.toContain('processing');
  expect(results).not.toContain('310');
  expect(result.text).not.toContain('310');
});

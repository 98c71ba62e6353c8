import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type ExampleConnection } from '../shared/connect.ts';
import { solveWithThinking } from './extended-thinking.ts';

let connection: ExampleConnection;
beforeAll(async () => {
  delete process.env.ANTHROPIC_API_KEY;
  connection = await connect();
});
afterAll(() => connection?.close());

it('returns the reasoning apart from the answer', async () => {
  const solved = await solveWithThinking(connection.keel, 'How long is a trip from 9:40 to 13:05?');
  expect(solved.thinking.length).toBeGreaterThan(0);
  expect(solved.answer.length).toBeGreaterThan(0);
  expect(solved.answer).not.toContain(solved.thinking);
  expect(solved.costUsd).toBeGreaterThan(0);
});

it('keeps a manual budget on a model that still takes one', async () => {
  const solved = await solveWithThinking(
    connection.keel,
    'How long is 9:40 to 13:05?',
    2048,
    'claude-haiku-4-5',
  );
  expect(solved.thinking.length).toBeGreaterThan(0);
  expect(solved.answer.length).toBeGreaterThan(0);
});

it('rejects a budget below the minimum before calling', async () => {
  await expect(solveWithThinking(connection.keel, 'x', 100)).rejects.toMatchObject({
    code: expect.stringMatching(/thinking/),
  });
});

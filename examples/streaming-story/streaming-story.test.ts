import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type ExampleConnection } from '../shared/connect.ts';
import { streamStory } from './streaming-story.ts';

let connection: ExampleConnection;
beforeAll(async () => {
  delete process.env.ANTHROPIC_API_KEY;
  connection = await connect();
});
afterAll(() => connection?.close());

it('delivers the story in pieces that add up to the final text', async () => {
  let shown = '';
  const story = await streamStory(connection.keel, 'a robot', (text) => (shown += text));
  expect(story.deltas).toBeGreaterThan(1);
  expect(shown).toBe(story.text);
  expect(story.text.length).toBeGreaterThan(200);
  expect(story.costUsd).toBeGreaterThan(0);
});

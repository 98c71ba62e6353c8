import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type ExampleConnection } from '../shared/connect.ts';
import { compareImages, describeImage, solidPng } from './image-analysis.ts';

let connection: ExampleConnection;
beforeAll(async () => {
  delete process.env.ANTHROPIC_API_KEY;
  connection = await connect();
});
afterAll(() => connection?.close());

it('describes one image and compares two in one message', async () => {
  const red = { buffer: solidPng(64, 32, [220, 30, 30]) };
  const blue = { buffer: solidPng(16, 16, [30, 30, 220]) };
  const description = await describeImage(connection.keel, red);
  expect(description).toMatch(/png/i);
  expect(description).toContain('64');
  const comparison = await compareImages(connection.keel, red, blue);
  expect(comparison).toContain('64');
  expect(comparison).toContain('16');
});

it('refuses bytes that are not an image before sending', async () => {
  await expect(
    describeImage(connection.keel, { buffer: Buffer.from('not an image') }),
  ).rejects.toMatchObject({
    code: expect.any(String),
  });
});

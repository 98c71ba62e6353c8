import type { KeelClient } from '@keel/core';
import { connect, isMain } from '../shared/connect.ts';

/** What a streamed answer looked like to the reader. */
export interface StreamedStory {
  /** The whole text. */
  text: string;
  /** How many text pieces arrived (each one was shown as it came). */
  deltas: number;
  /** The cost of the call, USD (exact, from the usage). */
  costUsd: number | undefined;
}

/** Streams a story, handing every piece of text to `write` as it arrives. */
export async function streamStory(
  keel: KeelClient,
  topic: string,
  write: (text: string) => void = () => {},
): Promise<StreamedStory> {
  const stream = keel.stream(
    {
      model: 'claude-haiku-5-5',
      max_tokens: 1024,
      messages: [{ role: 'user', content: `Write a short story about ${topic}.` }],
    },
    { tags: { feature: 'story' } },
  );
  let deltas = 0;
  for await (const event of stream) {
    if (event.type === 'text-delta') {
      deltas++;
      write(event.text);
    }
  }
  const result = await stream.result();
  return { text: result.text, deltas, costUsd: result.cost.priced ? result.cost.usd : undefined };
}

if (isMain(import.meta.url)) {
  const connection = await connect();
  try {
    const story = await streamStory(connection.keel, 'a robot', (text) =>
      process.stdout.write(text),
    );
    console.log(`\n\n(${story.deltas} pieces, $${story.costUsd?.toFixed(6)})`);
  } finally {
    await connection.close();
  }
}

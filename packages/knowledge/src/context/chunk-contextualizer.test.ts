import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteIndex } from '../index/sqlite-knowledge-index.ts';
import { ingest } from '../ingest/ingest.ts';
import { claudeChunkContextualizer } from './chunk-contextualizer.ts';

let emulator: EmulatorHandle;
let directory: string;
const requests: Array<{
  model: string;
  system: Array<{ text: string; cache_control?: unknown }>;
  messages: unknown[];
}> = [];

beforeAll(async () => {
  emulator = await startEmulator({
    scenarios: [
      {
        name: 'chunk context',
        match: { systemContains: 'You write search context' },
        replies: [{ content: [{ type: 'text', text: 'From the Zephyr 3000 warranty terms.' }] }],
      },
    ],
  });
  directory = mkdtempSync(join(tmpdir(), 'keel-context-'));
});

afterAll(async () => {
  await emulator.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('claudeChunkContextualizer', () => {
  it('writes a context per chunk with the document cached, stores it once, and indexes it', async () => {
    const section = (name: string) =>
      `## ${name}\n\n${`Coverage details for ${name.toLowerCase()} parts. `.repeat(12)}`;
    writeFileSync(
      join(directory, 'terms.md'),
      `# Terms\n\n${section('Motors')}\n\n${section('Batteries')}\n`,
    );
    const client = new Anthropic({
      apiKey: 'test-key',
      baseURL: emulator.url,
      fetch: async (input, init) => {
        if (typeof init?.body === 'string')
          requests.push(JSON.parse(init.body) as (typeof requests)[number]);
        return fetch(input, init);
      },
    });
    const contextualizer = claudeChunkContextualizer({ client });
    const index = openSqliteIndex({ path: join(directory, 'kb.sqlite') });

    const summary = await ingest({ index, paths: [directory], contextualizer });

    expect(summary.chunks).toBe(2);
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.model).toBe('claude-haiku-5-5');
      expect(request.system).toHaveLength(2);
      expect(request.system[1]!.text).toContain('Coverage details for batteries parts.');
      expect(request.system[1]!.cache_control).toEqual({ type: 'ephemeral' });
    }
    // "warranty" and "Zephyr" appear only in the generated context, which is indexed.
    const hits = await index.searchText({ query: 'zephyr warranty batteries' });
    expect(hits[0]!.chunk).toMatchObject({
      context: 'From the Zephyr 3000 warranty terms.',
      headings: ['Terms', 'Batteries'],
    });

    // Unchanged document: no new context calls.
    await ingest({ index, paths: [directory], contextualizer });
    expect(requests).toHaveLength(2);
    await index.close();
  });
});

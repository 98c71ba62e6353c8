import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordReplayConfigError, startEmulator, type EmulatorHandle } from '../index.ts';

const secretKey = 'sk-ant-record-test-SECRET-0123456789';
const cassetteDir = mkdtempSync(join(tmpdir(), 'keel-cassettes-'));
const request = {
  model: 'claude-sonnet-4-6',
  max_tokens: 200,
  messages: [{ role: 'user' as const, content: 'Tell me about recording' }],
};

let upstream: EmulatorHandle;
let recorder: EmulatorHandle;
let player: EmulatorHandle;

beforeAll(async () => {
  // The upstream only accepts the secret key: recording works only if the caller's key is relayed.
  upstream = await startEmulator({ apiKeys: [secretKey] });
  recorder = await startEmulator({
    recordReplay: { mode: 'record', cassetteDir, upstream: upstream.url },
  });
  player = await startEmulator({ recordReplay: { mode: 'replay', cassetteDir } });
});
afterAll(async () => {
  await Promise.all([upstream.close(), recorder.close(), player.close()]);
  rmSync(cassetteDir, { recursive: true, force: true });
});

const sdk = (emulator: EmulatorHandle, apiKey = secretKey) =>
  new Anthropic({ apiKey, baseURL: emulator.url, maxRetries: 0 });

describe('record through one emulator, replay from another with no upstream', () => {
  it('replays a non-streaming message exactly as recorded', async () => {
    const recorded = await sdk(recorder).messages.create(request);
    expect(upstream.state.requestLog.list().some((entry) => entry.path === '/v1/messages')).toBe(
      true,
    );
    const replayed = await sdk(player, 'any-key-at-all').messages.create(request);
    expect(replayed).toEqual(recorded);
  });

  it('relays a stream as it arrives and replays the same events', async () => {
    const live = sdk(recorder).messages.stream(request);
    const liveEvents: string[] = [];
    live.on('streamEvent', (event) => liveEvents.push(event.type));
    const recorded = await live.finalMessage();
    expect(liveEvents[0]).toBe('message_start');
    expect(liveEvents.at(-1)).toBe('message_stop');

    const again = sdk(player).messages.stream(request);
    const replayedEvents: string[] = [];
    let text = '';
    again.on('streamEvent', (event) => replayedEvents.push(event.type));
    again.on('text', (delta) => (text += delta));
    const replayed = await again.finalMessage();
    expect(replayedEvents).toEqual(liveEvents);
    expect(replayed).toEqual(recorded);
    expect(replayed.content[0]?.type === 'text' && replayed.content[0].text).toBe(text);
  });

  it('records GET requests with their query (models list)', async () => {
    const recorded = await sdk(recorder).models.list({ limit: 2 });
    const replayed = await sdk(player).models.list({ limit: 2 });
    expect(replayed.data).toEqual(recorded.data);
  });

  it('records upstream errors too, with their status', async () => {
    const bad = { ...request, model: 'claude-nope' };
    await expect(sdk(recorder).messages.create(bad)).rejects.toBeInstanceOf(
      Anthropic.NotFoundError,
    );
    const error = await sdk(player)
      .messages.create(bad)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.NotFoundError>).message).toMatch(/claude-nope/);
  });

  it('never writes the API key to disk, and keeps only non-secret headers', () => {
    const files = readdirSync(cassetteDir);
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const text = readFileSync(join(cassetteDir, file), 'utf8');
      expect(text, file).not.toContain(secretKey);
      expect(text).not.toMatch(/x-api-key|authorization/i);
      const cassette = JSON.parse(text);
      expect(cassette.request.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Object.keys(cassette.response.headers)).toContain('content-type');
    }
    const stream = files
      .map((file) => JSON.parse(readFileSync(join(cassetteDir, file), 'utf8')))
      .find((cassette) => cassette.request.body?.stream === true);
    expect(stream.response.headers['content-type']).toMatch(/text\/event-stream/);
    expect(stream.response.body).toMatch(/^event: message_start/);
  });

  it('answers a request with no cassette with a clear 404', async () => {
    const error = await sdk(player)
      .messages.create({ ...request, max_tokens: 7 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as Error).message).toMatch(
      /cassette not found for POST \/v1\/messages \(hash [0-9a-f]{16}.*record it first with mode=record/,
    );
  });

  it('keeps the admin API local in both modes', async () => {
    const health = await fetch(`${player.url}/_emulator/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', mode: 'replay' });
  });

  it('answers 502 when the upstream cannot be reached', async () => {
    const orphan = await startEmulator({
      recordReplay: { mode: 'record', cassetteDir, upstream: 'http://127.0.0.1:1' },
    });
    try {
      const response = await fetch(`${orphan.url}/v1/models`, {
        headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      });
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
        /upstream .* could not be reached/,
      );
    } finally {
      await orphan.close();
    }
  });

  it('refuses record mode without an upstream at start-up', async () => {
    await expect(
      startEmulator({ recordReplay: { mode: 'record', cassetteDir } }),
    ).rejects.toBeInstanceOf(RecordReplayConfigError);
  });
});

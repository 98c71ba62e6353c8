import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gifHeader, pdfBytes, pngBytes } from './__fixtures__/make-images.ts';
import { pdfBlock } from './document-block.ts';
import { imageBlock, loadImage } from './image-block.ts';
import { checkRequestMedia, imageContent } from './image-content.ts';
import type { MediaError } from './media-error.ts';
import {
  ImageDimensionsError,
  MediaReadError,
  MediaTooLargeError,
  TooManyImagesError,
  UnsupportedMediaTypeError,
} from './media-error.ts';

let scratch: string;
let emulator: EmulatorHandle;
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'keel-vision-'));
  emulator = await startEmulator();
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await emulator.close();
});

async function mediaError<T extends MediaError>(
  run: Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

describe('image blocks', () => {
  it('builds the same block from a path, a buffer and base64, typed by bytes not by name', async () => {
    const png = pngBytes(2, 3);
    // A PNG saved with a .jpg name is still a PNG.
    const path = join(scratch, 'photo.jpg');
    writeFileSync(path, png);
    const fromPath = await loadImage({ path });
    expect(fromPath).toMatchObject({ mediaType: 'image/png', dimensions: { width: 2, height: 3 } });
    const expected = {
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') },
    };
    expect(fromPath.block).toEqual(expected);
    expect(await imageBlock({ buffer: png })).toEqual(expected);
    expect(await imageBlock({ base64: png.toString('base64') })).toEqual(expected);
    expect(
      await imageBlock({ base64: `data:image/jpeg;base64,${png.toString('base64')}` }),
    ).toEqual(expected);
  });

  it('passes a URL through, or downloads and checks it with an injected fetch', async () => {
    expect(await imageBlock({ url: 'https://example.com/cat.png' })).toEqual({
      type: 'image',
      source: { type: 'url', url: 'https://example.com/cat.png' },
    });
    const gif = gifHeader(4, 4);
    const fetched: string[] = [];
    const fakeFetch = (async (url: URL | string) => {
      fetched.push(String(url));
      // The server's content type is wrong on purpose: bytes decide.
      return new Response(new Uint8Array(gif), { headers: { 'content-type': 'image/png' } });
    }) as typeof fetch;
    const downloaded = await loadImage(
      { url: 'https://example.com/a.png' },
      { download: true, fetch: fakeFetch },
    );
    expect(downloaded.mediaType).toBe('image/gif');
    expect(fetched).toEqual(['https://example.com/a.png']);
    const failing = (async () => new Response('nope', { status: 404 })) as typeof fetch;
    await mediaError(
      loadImage({ url: 'https://example.com/b.png' }, { download: true, fetch: failing }),
      MediaReadError,
    );
    await mediaError(imageBlock({ url: 'file:///etc/passwd' }), MediaReadError);
  });

  it('rejects an oversized image before sending, naming the size and the limit', async () => {
    // A PNG signature followed by 6 MB: the size check fires first.
    const big = Buffer.concat([pngBytes(1, 1), Buffer.alloc(6 * 1024 * 1024)]);
    const error = await mediaError(imageBlock({ buffer: big }), MediaTooLargeError);
    expect(error.code).toBe('media_too_large');
    expect(error.details).toMatchObject({ kind: 'image', limitBytes: 5 * 1024 * 1024 });
    expect(error.details.bytes).toBeGreaterThan(8_000_000);
  });

  it('rejects an image wider than 8000 px, read from its header', async () => {
    const error = await mediaError(imageBlock({ buffer: pngBytes(8001, 2) }), ImageDimensionsError);
    expect(error.details).toEqual({
      source: 'buffer (' + pngBytes(8001, 2).byteLength + ' bytes)',
      width: 8001,
      height: 2,
      maxSide: 8000,
    });
    expect((await loadImage({ buffer: pngBytes(8000, 1) })).dimensions).toEqual({
      width: 8000,
      height: 1,
    });
  });

  it('rejects bytes that are not an accepted image, and missing files', async () => {
    const error = await mediaError(
      imageBlock({ buffer: Buffer.from('BM fake bitmap') }),
      UnsupportedMediaTypeError,
    );
    expect(error.details.accepted).toEqual(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
    await mediaError(imageBlock({ buffer: pdfBytes() }), UnsupportedMediaTypeError);
    await mediaError(imageBlock({ path: join(scratch, 'absent.png') }), MediaReadError);
    await mediaError(imageBlock({ base64: 'not base64!' }), MediaReadError);
  });
});

describe('several images and documents', () => {
  it('labels several images in one message, and the emulator sees each one', async () => {
    const content = await imageContent({
      images: [{ buffer: pngBytes(2, 3) }, { buffer: pngBytes(5, 4, [0, 0, 255]) }],
      text: 'Compare these two images.',
    });
    expect(content.map((block) => block.type)).toEqual(['text', 'image', 'text', 'image', 'text']);
    expect(content[0]).toEqual({ type: 'text', text: 'Image 1:' });
    const client = new Anthropic({ apiKey: 'k', baseURL: emulator.url, maxRetries: 0 });
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 300,
      messages: [{ role: 'user', content }],
    });
    const text = message.content
      .flatMap((block) => (block.type === 'text' ? [block.text] : []))
      .join('');
    expect(text).toContain('2x3');
    expect(text).toContain('5x4');
  });

  it('counts images per request, and tightens the side limit for many images', async () => {
    const tiny = { buffer: pngBytes(1, 1) };
    const error = await mediaError(
      imageContent({ images: Array(101).fill(tiny) }),
      TooManyImagesError,
    );
    expect(error.details).toEqual({ count: 101, limit: 100 });
    const many = [...Array(20).fill(tiny), { buffer: pngBytes(2001, 1) }];
    const sideError = await mediaError(imageContent({ images: many }), ImageDimensionsError);
    expect(sideError.details.maxSide).toBe(2000);
    // 20 images or fewer keep the 8000 px limit.
    expect(await imageContent({ images: many.slice(1) })).toHaveLength(40);
  });

  it('checks a whole request, tool results included', async () => {
    const image = await imageBlock({ buffer: pngBytes(1, 1) });
    const summary = checkRequestMedia([
      { role: 'user', content: [image, { type: 'text', text: 'look' }] },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 't1', name: 'screenshot', input: {} }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [image] }] },
    ]);
    expect(summary).toEqual({ images: 2, documents: 0 });
    expect(() => checkRequestMedia([{ role: 'user', content: Array(101).fill(image) }])).toThrow(
      TooManyImagesError,
    );
    const wide = await imageBlock(
      { buffer: pngBytes(9000, 1) },
      { limits: { maxImageSide: 10_000 } },
    );
    expect(() => checkRequestMedia([{ role: 'user', content: [wide] }])).toThrow(
      ImageDimensionsError,
    );
  });

  it('builds PDF document blocks from bytes that start with %PDF', async () => {
    const path = join(scratch, 'report.bin');
    writeFileSync(path, pdfBytes());
    const block = await pdfBlock({ path }, { title: 'Report', citations: true });
    expect(block).toEqual({
      type: 'document',
      source: {
        type: 'base64',
        media_type: 'application/pdf',
        data: pdfBytes().toString('base64'),
      },
      title: 'Report',
      citations: { enabled: true },
    });
    await mediaError(pdfBlock({ buffer: pngBytes(1, 1) }), UnsupportedMediaTypeError);
    const tooBig = await mediaError(
      pdfBlock({ buffer: pdfBytes() }, { limits: { maxDocumentBytes: 100 } }),
      MediaTooLargeError,
    );
    expect(tooBig.details.kind).toBe('document');
    expect(await pdfBlock({ url: 'https://example.com/a.pdf' })).toEqual({
      type: 'document',
      source: { type: 'url', url: 'https://example.com/a.pdf' },
    });
  });
});

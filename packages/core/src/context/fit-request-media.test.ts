import type { ImageBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import { jpegHeader, pngBytes } from '../vision/__fixtures__/make-images.ts';
import type { MessageParam } from '../call/conversation-shape.ts';
import {
  bytesWithoutImageData,
  fitRequestMedia,
  omittedImageText,
  unreadableImageText,
} from './fit-request-media.ts';

/** A real PNG header padded to `size` bytes of base64, as a 4.9 MB photo arrives. */
function image(size: number, side = 1000, label = 0): ImageBlockParam {
  const head = pngBytes(side, 1);
  const padding = Buffer.alloc(Math.max(0, Math.floor((size * 3) / 4) - head.length), label);
  return {
    type: 'image',
    source: {
      type: 'base64',
      media_type: 'image/png',
      data: Buffer.concat([head, padding]).toString('base64'),
    },
  };
}

const user = (...content: MessageParam['content'][]) =>
  ({ role: 'user', content: content.flat() }) as MessageParam;
const answer = (text: string): MessageParam => ({
  role: 'assistant',
  content: [{ type: 'text', text }],
});
const imagesIn = (messages: MessageParam[]) =>
  JSON.stringify(messages).match(/"type":"image"/g)?.length ?? 0;
const requestBytes = (messages: MessageParam[]) => Buffer.byteLength(JSON.stringify(messages));

describe('fitRequestMedia', () => {
  it('keeps two turns of four 4.9 MB images plus a third turn under 32 MB, newest first', () => {
    const big = 4_900_000;
    const messages: MessageParam[] = [
      user(
        [1, 2, 3, 4].map((n) => image(big, 1000, n)),
        [{ type: 'text', text: 'first' }],
      ),
      answer('I see four photos.'),
      user(
        [5, 6, 7, 8].map((n) => image(big, 1000, n)),
        [{ type: 'text', text: 'second' }],
      ),
      answer('Four more.'),
      user([{ type: 'text', text: 'And now?' }]),
    ];
    expect(requestBytes(messages)).toBeGreaterThan(32_000_000);
    const fitted = fitRequestMedia({ messages, otherBytes: bytesWithoutImageData(messages) });
    expect(requestBytes(fitted.messages)).toBeLessThan(32_000_000);
    expect(fitted.omittedImages).toBe(2);
    expect(imagesIn(fitted.messages)).toBe(6);
    // The oldest go first; the second turn is whole, and the placeholders say what happened.
    const first = fitted.messages[0]!.content as Array<{ type: string; text?: string }>;
    expect(first.map((block) => block.type)).toEqual(['text', 'text', 'image', 'image', 'text']);
    expect(first[0]!.text).toBe(omittedImageText);
    expect(fitted.messages[2]).toBe(messages[2]);
    expect(fitted.messages.slice(1)).toEqual(messages.slice(1));
  });

  it('never replaces an image of the new turn, and leaves a small conversation as it is', () => {
    const messages = [user([image(2000)]), answer('ok'), user([image(2000), image(2000)])];
    const fitted = fitRequestMedia({ messages, otherBytes: 0 });
    expect(fitted).toEqual({ messages, omittedImages: 0 });
    const tight = fitRequestMedia({ messages, otherBytes: 0, reserveBytes: 32_000_000 - 5000 });
    expect(tight.omittedImages).toBe(1);
    expect(imagesIn(tight.messages)).toBe(2);
  });

  it('keeps the image count at 100 and the many-images side limit, tool results included', () => {
    const small = () => image(200, 100);
    const toolTurn: MessageParam[] = [
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'shot', input: {} }] },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 't1', content: [small(), small()] }],
      },
    ];
    const many = [
      user([{ type: 'text', text: 'take screenshots' }]),
      ...toolTurn,
      answer('ok'),
      user(Array.from({ length: 60 }, small)),
      answer('ok'),
      user(Array.from({ length: 60 }, small)),
    ];
    const fitted = fitRequestMedia({ messages: many, otherBytes: 0 });
    expect(imagesIn(fitted.messages)).toBe(100);
    expect(fitted.omittedImages).toBe(22);
    const toolResult = (fitted.messages[2]!.content as Array<{ content: unknown[] }>)[0]!.content;
    expect(toolResult).toEqual([
      { type: 'text', text: omittedImageText },
      { type: 'text', text: omittedImageText },
    ]);

    // Above 20 images every side must fit 2000 px: the 3000 px photo of an old turn is left out.
    const wide = [user([image(200, 3000)]), answer('ok'), user(Array.from({ length: 20 }, small))];
    expect(fitRequestMedia({ messages: wide, otherBytes: 0 }).omittedImages).toBe(1);
    expect(fitRequestMedia({ messages: wide.slice(0, 2), otherBytes: 0 }).omittedImages).toBe(0);
  });

  it('never sends again an older image the API refuses outright (stored before uploads were checked)', () => {
    const jpegAsPng: ImageBlockParam = {
      type: 'image',
      source: {
        type: 'base64',
        media_type: 'image/png',
        data: jpegHeader(64, 64).toString('base64'),
      },
    };
    const good = image(400, 10);
    const messages = [user([jpegAsPng, good]), answer('ok'), user([{ type: 'text', text: 'hi' }])];
    const fitted = fitRequestMedia({ messages, otherBytes: 0 });
    expect(fitted.omittedImages).toBe(1);
    expect(fitted.messages[0]!.content).toEqual([
      { type: 'text', text: unreadableImageText },
      good,
    ]);
    // The new turn's own images were checked by the caller and are left as they are.
    expect(fitRequestMedia({ messages: [user([jpegAsPng])], otherBytes: 0 }).omittedImages).toBe(0);
  });

  it('reads the side of a JPEG too, and counts bytes without image data only', () => {
    const jpeg: ImageBlockParam = {
      type: 'image',
      source: {
        type: 'base64',
        media_type: 'image/jpeg',
        data: jpegHeader(2500, 10).toString('base64'),
      },
    };
    const messages = [user([jpeg]), answer('ok'), user(Array.from({ length: 20 }, () => image(8)))];
    expect(fitRequestMedia({ messages, otherBytes: 0 }).omittedImages).toBe(1);
    // Image data is left out of the count; other `data` fields (redacted thinking) are not.
    const blank = { ...jpeg, source: { ...jpeg.source, data: '' } };
    expect(bytesWithoutImageData({ messages: [user([jpeg])] })).toBe(
      JSON.stringify({ messages: [user([blank])] }).length,
    );
    const thinking = { type: 'redacted_thinking', data: 'abc' };
    expect(bytesWithoutImageData(thinking)).toBe(JSON.stringify(thinking).length);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeFieldErrors } from './field-errors.ts';
import { messageRequestSchema } from './request-schema.ts';

/** The API's message for `body` against the Messages schema. */
function messageFor(body: Record<string, unknown>): string {
  const parsed = messageRequestSchema.safeParse(body);
  if (parsed.success) throw new Error('expected the body to fail');
  return describeFieldErrors(parsed.error, body, messageRequestSchema);
}

const base = { model: 'claude-sonnet-4-6', max_tokens: 10 };
const user = (content: unknown) => ({ ...base, messages: [{ role: 'user', content }] });

describe('field errors in pydantic wording', () => {
  it('names the tags of nested tagged unions on the way (tool_result content, document source)', () => {
    expect(
      messageFor(
        user([
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: [{ type: 'image', source: { type: 'url' } }],
          },
        ]),
      ),
    ).toBe('messages.0.content.0.tool_result.content.0.image.source.url.url: Field required');
    expect(
      messageFor(
        user([
          { type: 'document', source: { type: 'base64', media_type: 'text/plain', data: '' } },
        ]),
      ),
    ).toBe(
      "messages.0.content.0.document.source.base64.media_type: Input should be 'application/pdf'",
    );
  });

  it('reports a content of the wrong kind against the list it should have been', () => {
    expect(messageFor(user({ text: 'hi' }))).toBe(
      'messages.0.content: Input should be a valid list',
    );
    expect(messageFor(user([{ type: 'text', text: 5 }]))).toBe(
      'messages.0.content.0.text.text: Input should be a valid string',
    );
  });

  it('words list and string bounds, and a missing tag', () => {
    const schema = z.strictObject({
      names: z.array(z.string().min(2)).min(1).max(2),
      block: z.discriminatedUnion('type', [
        z.strictObject({ type: z.literal('a') }),
        z.strictObject({ type: z.literal('b') }),
      ]),
    });
    const describe = (input: unknown) => {
      const parsed = schema.safeParse(input);
      return parsed.success ? 'ok' : describeFieldErrors(parsed.error, input, schema);
    };
    expect(describe({ names: [], block: { type: 'a' } })).toBe(
      'names: List should have at least 1 item after validation, not 0',
    );
    expect(describe({ names: ['ab', 'cd', 'ef'], block: { type: 'a' } })).toBe(
      'names: List should have at most 2 items after validation, not 3',
    );
    expect(describe({ names: ['a'], block: { type: 'a' } })).toBe(
      'names.0: String should have at least 2 characters',
    );
    expect(describe({ names: ['ab'], block: {} })).toBe(
      "block: Unable to extract tag using discriminator 'type'",
    );
    expect(describe({ names: ['ab'], block: { type: 'a', extra: true } })).toBe(
      'block.a.extra: Extra inputs are not permitted',
    );
  });

  it('reports only the first error, as the API does', () => {
    expect(
      messageFor({
        model: 'claude-sonnet-4-6',
        messages: [{ role: 'user', content: 'x' }],
        foo: 1,
      }),
    ).toBe('max_tokens: Field required');
  });
});

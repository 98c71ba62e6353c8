import { generateObject, keelCaller, type KeelClient } from '@keel/core';
import { z } from 'zod';
import { connect, isMain } from '../shared/connect.ts';

/** A contact; every field null when the text does not say. */
export const contactSchema = z.object({
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
});

export type Contact = z.infer<typeof contactSchema>;

/**
 * Extracts a contact. Output that does not parse or validate gets one repair pass by a cheap model
 * (`repaired: true`); output cut off at max_tokens is never accepted.
 */
export async function extractContact(
  keel: KeelClient,
  text: string,
): Promise<{ contact: Contact; repaired: boolean }> {
  const result = await generateObject({
    caller: keelCaller(keel, { tags: { feature: 'contact-extraction' } }),
    model: 'claude-haiku-5-5',
    schema: contactSchema,
    system: 'Pull the contact details out of the text. Use null for anything it does not mention.',
    messages: [{ role: 'user', content: text }],
    maxTokens: 512,
    repairModel: 'claude-haiku-5-5',
  });
  return { contact: result.object, repaired: result.repaired };
}

const fixed = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  phone: null,
  company: 'Analytical Engines',
};

/** Offline: the first answer is cut-and-pasted JSON missing its closing brace; the repair fixes it. */
export const scenarios = [
  {
    name: 'broken-contact',
    match: { userContains: ['reach me'] },
    replies: [{ content: [{ type: 'text' as const, text: JSON.stringify(fixed).slice(0, -1) }] }],
  },
  {
    name: 'json-repair',
    match: { systemContains: 'You repair JSON' },
    replies: [{ content: [{ type: 'text' as const, text: JSON.stringify(fixed) }] }],
  },
];

export const sampleText =
  'Thanks for the demo! You can reach me at ada@example.com. Ada Lovelace, Analytical Engines.';

if (isMain(import.meta.url)) {
  const connection = await connect({ scenarios });
  try {
    console.log(await extractContact(connection.keel, sampleText));
  } finally {
    await connection.close();
  }
}

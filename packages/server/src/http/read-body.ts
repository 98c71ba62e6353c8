import type { Context } from 'hono';
import { ValidationError } from '@keel/errors';
import type { z } from 'zod';
import { RequestError } from './http-errors.ts';

/** Parses and validates a JSON body; 400 with the zod issues when it does not fit. */
export async function readBody<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
  source: string,
): Promise<z.output<Schema>> {
  const text = await c.req.text();
  let data: unknown;
  try {
    data = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new RequestError('invalid_json', 'The request body is not valid JSON');
  }
  return parseWith(schema, data, source);
}

/** Validates data with a schema; ValidationError lists every issue. */
export function parseWith<Schema extends z.ZodType>(
  schema: Schema,
  data: unknown,
  source: string,
): z.output<Schema> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new ValidationError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

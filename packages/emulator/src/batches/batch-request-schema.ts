import { z } from 'zod';
import { invalidRequest } from '../http/api-error.ts';
import { describeIssues } from '../messages/request-schema.ts';

/** The API's limit on requests per batch. */
const maxBatchRequests = 100_000;

/** The API refuses batch bodies over 256 MB. */
export const maxBatchBodyBytes = 256 * 1024 * 1024;

/**
 * The create body. Only the envelope is checked up front, as the API does; each request's
 * `params` is validated when the batch is processed and a bad one becomes an `errored` line.
 */
const batchCreateSchema = z.strictObject({
  requests: z
    .array(
      z.strictObject({
        custom_id: z
          .string()
          .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'custom_id must be 1 to 64 of [a-zA-Z0-9_-]'),
        params: z.record(z.string(), z.unknown()),
      }),
    )
    .min(1, 'requests: a batch needs at least one request')
    .max(maxBatchRequests, `requests: at most ${maxBatchRequests} requests per batch`),
});

/** One request of a batch, as submitted. */
export type BatchRequest = z.infer<typeof batchCreateSchema>['requests'][number];

/** Validates a create body: shape, size, unique custom ids, no streaming. Throws a 400. */
export function parseBatchCreate(body: unknown): BatchRequest[] {
  const parsed = batchCreateSchema.safeParse(body);
  if (!parsed.success) throw invalidRequest(describeIssues(parsed.error, body, batchCreateSchema));
  const seen = new Set<string>();
  parsed.data.requests.forEach((request, index) => {
    if (seen.has(request.custom_id)) {
      throw invalidRequest(
        `requests.${index}.custom_id: "${request.custom_id}" is used more than once; custom_id must be unique within a batch`,
      );
    }
    seen.add(request.custom_id);
    if (request.params.stream === true) {
      throw invalidRequest(
        `requests.${index}.params.stream: streaming is not supported in batches`,
      );
    }
  });
  return parsed.data.requests;
}

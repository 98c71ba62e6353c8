import { z } from 'zod';
import { maxImagesPerMessage, maxMessageTextLength } from '../chat/message-limits.ts';

/** `POST /api/auth/register`. */
export const registerBody = z.strictObject({
  email: z.email().max(200),
  password: z.string().min(8).max(200),
  displayName: z.string().trim().min(1).max(100),
  /** Required when `registration.mode` is `invite`. */
  inviteCode: z.string().trim().min(1).max(200).optional(),
});

/** `POST /api/invites` (admin). */
export const inviteBody = z.strictObject({
  /** Hours until the code expires; default `registration.inviteTtlHours`. */
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .optional(),
});

/** `POST /api/auth/login`. */
export const loginBody = z.strictObject({
  email: z.string().min(1).max(200),
  password: z.string().min(1).max(200),
});

/** `POST /api/tokens`. */
export const tokenBody = z.strictObject({
  label: z.string().trim().min(1).max(100).default('api'),
});

/** `POST /api/sessions`. */
export const createSessionBody = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
});

/** `PATCH /api/sessions/:id`. */
export const renameSessionBody = z.strictObject({ title: z.string().trim().min(1).max(200) });

const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** `POST /api/sessions/:id/messages`. */
export const sendMessageBody = z.strictObject({
  text: z.string().trim().min(1).max(maxMessageTextLength),
  images: z
    .array(
      z.strictObject({
        mediaType: z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp']),
        data: z.string().min(4).regex(base64, 'must be base64 (no data: prefix)'),
      }),
    )
    .max(maxImagesPerMessage)
    .default([]),
});

/** `GET /api/usage` query. */
export const usageQuery = z.strictObject({
  groupBy: z.enum(['day', 'feature', 'model', 'user', 'session']).default('day'),
  days: z.coerce.number().int().min(1).max(366).default(30),
  scope: z.enum(['me', 'all']).default('me'),
});

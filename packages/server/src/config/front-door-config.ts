import { isIP } from 'node:net';
import { z } from 'zod';

const proxyAddress = z
  .string()
  .refine(
    (value) => isIP(value.split('/')[0]!) !== 0,
    'an IP address or a CIDR range (10.0.0.0/8)',
  );

/**
 * Which proxies in front of the server are trusted to say who the client is (`X-Forwarded-For`)
 * and whether it spoke TLS (`X-Forwarded-Proto`).
 * - `false` (default): the headers are ignored; the client is the socket's peer.
 * - `true`: every hop is trusted; the client is the leftmost `X-Forwarded-For` entry.
 * - a number N: N proxies sit in front; the client is the Nth address from the right.
 * - a list of addresses or CIDR ranges: hops from those addresses are skipped from the right.
 */
const trustProxySchema = z.union([
  z.boolean(),
  z.number().int().min(0).max(20),
  z.array(proxyAddress).min(1),
]);

/** The `trustProxy` setting. */
export type TrustProxy = z.output<typeof trustProxySchema>;

/** The `http` section: how the server meets the outside world. */
export const httpConfigSchema = z
  .strictObject({
    /** See {@link trustProxySchema}. */
    trustProxy: trustProxySchema.default(false),
    /**
     * Origins, besides the server's own, whose pages may make state-changing requests
     * (`https://chat.example.com`). Default none: only same-origin pages.
     */
    allowedOrigins: z.array(z.url()).default([]),
    /** The largest body of every route but the message upload, bytes. */
    jsonBodyMaxBytes: z.number().int().min(1024).max(1_000_000).default(65_536),
  })
  .default({ trustProxy: false, allowedOrigins: [], jsonBodyMaxBytes: 65_536 });

/** The `registration` section: who may create an account. */
export const registrationConfigSchema = z
  .strictObject({
    /**
     * `open`: anyone; `invite`: only with a single-use code an admin created
     * (`POST /api/invites`); `closed`: no one (accounts are made by an operator).
     */
    mode: z.enum(['open', 'invite', 'closed']).default('open'),
    /** Registrations allowed per client address per hour (successful or not). */
    perAddressPerHour: z.number().int().min(1).max(10_000).default(5),
    /** How long an invite code stays valid, hours. */
    inviteTtlHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(7 * 24),
  })
  .default({ mode: 'open', perAddressPerHour: 5, inviteTtlHours: 7 * 24 });

/** The `registration` section, parsed. */
export type RegistrationConfig = z.output<typeof registrationConfigSchema>;

import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import type { TrustProxy } from '../config/front-door-config.ts';

/** Who sent a request and whether it reached us over TLS, as far as the trusted proxies say. */
export interface RequestOrigin {
  /** The client's IP address (or `unknown` for in-process requests). */
  address: string;
  /** True when the request came over TLS, to us or to a trusted proxy in front. */
  secure: boolean;
}

// Node's adapter puts the socket on env; in-process requests (tests) have none.
function socketOf(c: Context): { remoteAddress?: string; encrypted?: boolean } | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string; encrypted?: boolean } } };
  return env?.incoming?.socket;
}

// An IPv4 client on a dual-stack socket shows as ::ffff:1.2.3.4; limits should key on 1.2.3.4.
function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function trustedList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/**
 * Reads the client address and TLS flag per the `trustProxy` setting. Without trust, the
 * forwarding headers are ignored: anyone can send them, and believing them would let a client
 * pick its own address and escape per-address limits.
 */
export function requestOriginReader(trustProxy: TrustProxy): (c: Context) => RequestOrigin {
  const list = Array.isArray(trustProxy) ? trustedList(trustProxy) : undefined;
  const isTrusted = (address: string) => {
    if (!list) return false;
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };

  return (c) => {
    const socket = socketOf(c);
    const peer = normalize(socket?.remoteAddress ?? 'unknown');
    const tls = socket?.encrypted === true || new URL(c.req.url).protocol === 'https:';
    if (trustProxy === false || trustProxy === 0) return { address: peer, secure: tls };
    if (list && !isTrusted(peer)) return { address: peer, secure: tls };

    const forwarded = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((entry) => normalize(entry.trim()))
      .filter((entry) => entry !== '');
    // Nearest hop last: [client, proxy1, ..., peer].
    const chain = [...forwarded, peer];
    let index: number;
    if (trustProxy === true) index = 0;
    else if (typeof trustProxy === 'number') index = Math.max(0, chain.length - 1 - trustProxy);
    else {
      index = chain.length - 1;
      while (index > 0 && isTrusted(chain[index]!)) index -= 1;
    }
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
    return { address: chain[index]!, secure: tls || proto === 'https' };
  };
}

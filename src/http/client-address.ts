import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from '../config';

/**
 * The client's address under a "trust proxy" setting, with Express's meaning of it: `true` believes
 * every X-Forwarded-For hop, a number that many hops, a list those proxies' addresses or subnets.
 * What X-Forwarded-For gives is taken only when it is an IP address: anything else (a name, a
 * script, `1.2.3.4:80`) would reach the audit log, last-use addresses and rate-limit keys as it
 * is, so the socket's address stands in for it. IPv4 clients of a dual-stack socket are given as
 * plain IPv4, so one client has one rate-limit key.
 */
export function clientAddress(trust: TrustProxy): (request: IncomingMessage) => string {
  const trusted: (address: string, hop: number) => boolean =
    trust === true ? () => true : typeof trust === 'number' ? (_address, hop) => hop < trust : proxyAddr.compile(trust === false ? [] : trust);
  return (request) => {
    const socket = request.socket.remoteAddress ?? 'unknown';
    // Without trusted proxies the socket's peer is the client: no header to read.
    const forwarded = trust === false ? socket : proxyAddr(request, trusted);
    const ip = isIP(forwarded) ? forwarded : socket;
    return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  };
}

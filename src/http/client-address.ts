import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from '../config';

/**
 * The client's address under a "trust proxy" setting, with Express's meaning of it: `true` believes
 * every X-Forwarded-For hop, a number that many hops, a list those proxies' addresses or subnets.
 * IPv4 clients of a dual-stack socket are given as plain IPv4, so one client has one rate-limit key.
 */
export function clientAddress(trust: TrustProxy): (request: IncomingMessage) => string {
  const trusted: (address: string, hop: number) => boolean =
    trust === true ? () => true : typeof trust === 'number' ? (_address, hop) => hop < trust : proxyAddr.compile(trust === false ? [] : trust);
  return (request) => {
    // Without trusted proxies the socket's peer is the client: no header to read.
    const ip = (trust === false ? request.socket.remoteAddress : proxyAddr(request, trusted)) ?? 'unknown';
    return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  };
}

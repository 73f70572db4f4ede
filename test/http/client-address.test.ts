import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../../src/http/client-address';

/** A request as proxy-addr reads it: the socket's peer and the X-Forwarded-For header. */
function requestFrom(peer: string, forwardedFor?: string): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
}

// The client 203.0.113.9 went through a proxy 198.51.100.3, then the load balancer 10.0.0.5.
const THROUGH_TWO_PROXIES = requestFrom('10.0.0.5', '203.0.113.9, 198.51.100.3');

describe('the client address', () => {
  it('is the socket\'s peer when no proxy is trusted, whatever the header says', () => {
    expect(clientAddress(false)(THROUGH_TWO_PROXIES)).toBe('10.0.0.5');
  });

  it('goes back as many hops as are trusted', () => {
    expect(clientAddress(1)(THROUGH_TWO_PROXIES)).toBe('198.51.100.3');
    expect(clientAddress(2)(THROUGH_TWO_PROXIES)).toBe('203.0.113.9');
  });

  it('goes back through trusted subnets only', () => {
    expect(clientAddress(['10.0.0.0/8'])(THROUGH_TWO_PROXIES)).toBe('198.51.100.3');
    expect(clientAddress(['10.0.0.0/8', '198.51.100.0/24'])(THROUGH_TWO_PROXIES)).toBe('203.0.113.9');
    expect(clientAddress(['192.168.0.0/16'])(THROUGH_TWO_PROXIES)).toBe('10.0.0.5');
  });

  it('believes the leftmost address when every proxy is trusted', () => {
    expect(clientAddress(true)(THROUGH_TWO_PROXIES)).toBe('203.0.113.9');
  });

  it('takes only an IP address from X-Forwarded-For, in every trust mode; anything else is the socket\'s peer', () => {
    for (const forwarded of ['evil.example.com', '<script>', '203.0.113.9:80', '', ' , ']) {
      const request = requestFrom('10.0.0.5', forwarded);
      for (const trust of [true, 1, ['10.0.0.0/8']] as const) {
        expect({ forwarded, trust, ip: clientAddress(trust as never)(request) }).toEqual({ forwarded, trust, ip: '10.0.0.5' });
      }
    }
    expect(clientAddress(true)(requestFrom('10.0.0.5', '2001:db8::1'))).toBe('2001:db8::1');
  });

  it('gives an IPv4 client of a dual-stack socket as plain IPv4', () => {
    expect(clientAddress(false)(requestFrom('::ffff:127.0.0.1'))).toBe('127.0.0.1');
    expect(clientAddress(false)(requestFrom('::1'))).toBe('::1');
  });
});

import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { WEB_APP_PATH, webApp } from '../../src/http/web-app';
import { TestService } from '../helpers/service';

/**
 * The token settings app as the service serves it (built by `npm test` before Jest runs): the
 * security headers on every response, and nothing in its files that would load from elsewhere.
 */
let service: TestService;
let origin: string;

beforeAll(async () => {
  service = await TestService.start();
  origin = new URL(service.url).origin;
});
afterAll(() => service?.stop());

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' };

function expectSecurityHeaders(response: Response): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect({ name, value: response.headers.get(name) }).toEqual({ name, value });
  expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
}

/** The files index.html names, as paths on the service. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1], `${origin}${WEB_APP_PATH}`).pathname);
}

// Preact names the XML namespaces of SVG and MathML: identifiers a browser never requests.
const NAMESPACES = /^https?:\/\/www\.w3\.org\/(1998\/Math\/MathML|1999\/xhtml|2000\/svg|1999\/xlink|XML\/1998\/namespace)$/;
function outsideUrls(text: string): string[] {
  const urls = text.match(/\b(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)<>]*/gi) ?? [];
  return urls.filter((url) => !NAMESPACES.test(url));
}

describe('the token settings app at /tokens/', () => {
  it('serves its page with a CSP that allows only its own files, never framed, no referrer, no sniffing', async () => {
    const response = await fetch(`${origin}${WEB_APP_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expectSecurityHeaders(response);
    const csp = response.headers.get('content-security-policy')!;
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src-elem 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
  });

  it('has no inline script or style for the CSP to block, and names no outside URL', async () => {
    const html = await (await fetch(`${origin}${WEB_APP_PATH}`)).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(outsideUrls(html)).toEqual([]);
    const assets = assetsOf(html);
    expect(assets.some((path) => path.endsWith('.js'))).toBe(true);
    expect(assets.some((path) => path.endsWith('.css'))).toBe(true);
    for (const path of assets) expect(path.startsWith(WEB_APP_PATH)).toBe(true);
  });

  it('serves each of its files with the same headers, cached for good, and with no outside URL in them', async () => {
    const html = await (await fetch(`${origin}${WEB_APP_PATH}`)).text();
    for (const path of assetsOf(html)) {
      const response = await fetch(`${origin}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expectSecurityHeaders(response);
      const text = await response.text();
      expect({ path, urls: outsideUrls(text) }).toEqual({ path, urls: [] });
      if (path.includes('/assets/')) {
        expect(response.headers.get('cache-control')).toMatch(/immutable/);
        // No runtime code generation for `script-src 'self'` to refuse.
        expect(text).not.toMatch(/\beval\(|new Function\(/);
      }
    }
  });

  it('revalidates the page at every load, so a new build is picked up', async () => {
    const response = await fetch(`${origin}${WEB_APP_PATH}`);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('redirects /tokens to /tokens/, and answers an unknown file with the JSON 404 and the headers', async () => {
    const redirect = await fetch(`${origin}/tokens`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe(WEB_APP_PATH);
    const missing = await fetch(`${origin}${WEB_APP_PATH}assets/nothing.js`);
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing);
    expect(await missing.json()).toEqual({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })] });
  });

  it('leaves the GraphQL endpoint where it is', async () => {
    const response = await fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('says how to build it when the files are missing, instead of an empty page', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'tessera-web-app-'));
    const app = express().use('/tokens', webApp(empty));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${WEB_APP_PATH}`);
      expect(response.status).toBe(503);
      expectSecurityHeaders(response);
      expect(await response.text()).toContain('npm run build');
    } finally {
      server.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

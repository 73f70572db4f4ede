import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** Sources of one Content-Security-Policy directive, e.g. `["'self'", 'data:']`. */
export type CspDirectives = Record<string, string[]>;

/**
 * What a page the service serves may load: its own scripts, styles and fonts, and requests to
 * itself only. No inline script (none is needed: configuration travels in a JSON block, code in
 * files). <style> elements may be inline for one reason, GraphiQL 3's dialogs: they lock scrolling
 * with a <style> element made at run time (react-remove-scroll, with the scrollbar's width in it,
 * so no hash fits), and its bundle offers no way to give it a nonce; a style runs no code. Style
 * attributes stay refused (React sets styles through the DOM, which CSP allows). Fonts and images
 * may be data: URLs, which is how graphiql.min.css ships its fonts.
 */
export const PAGE_CSP: CspDirectives = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'style-src-elem': ["'self'", "'unsafe-inline'"],
  'font-src': ["'self'", 'data:'],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The security headers of every page and asset the service serves (GraphiQL now, a frontend
 * later), through helmet: the Content-Security-Policy above (a page may widen it with `csp`),
 * `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` beside `frame-ancestors 'none'` for
 * browsers that predate it, `Referrer-Policy: no-referrer`, and same-origin opener and resource
 * policies. HSTS is left to whatever terminates TLS: the service itself speaks plain HTTP.
 */
export function securityHeaders(csp: CspDirectives = {}): (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { ...PAGE_CSP, ...csp } },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';

/** Where the token settings app (web/) is served; the GraphQL endpoint it talks to stays at /graphql. */
export const WEB_APP_PATH = '/tokens/';

/**
 * The app's own files only: no inline script or style, no eval, no request to another origin,
 * never framed. The same headers as the GraphiQL page's (src/http/security-headers.ts on its branch).
 */
export const WEB_APP_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** dist/web-app/ of the package, found from this file whether it runs from src/ (tests) or dist/src/ (npm start). */
function builtAppDirectory(): string {
  let directory = __dirname;
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) return join(__dirname, 'web-app');
    directory = parent;
  }
  return join(directory, 'dist', 'web-app');
}

const securityHeaders: RequestHandler = (_request, response, next) => {
  response.set(WEB_APP_SECURITY_HEADERS);
  next();
};

/**
 * The built app, mounted at WEB_APP_PATH: index.html revalidated at every load (it names the
 * current assets), the content-hashed assets cached for a year. `npm run build` makes the files.
 */
export function webApp(directory = builtAppDirectory()): Router {
  const router = express.Router();
  const index = join(directory, 'index.html');
  router.use(securityHeaders);
  router.get('/', (request, response) => {
    // At /tokens without the slash, the page's relative links would resolve outside the app.
    if (!request.originalUrl.startsWith(WEB_APP_PATH)) {
      response.redirect(301, WEB_APP_PATH);
      return;
    }
    if (!existsSync(index)) {
      response.status(503).type('text/plain').send('The token settings app is not built: run `npm run build`, then start the service again.\n');
      return;
    }
    response.sendFile(index, { headers: { 'Cache-Control': 'no-cache' } });
  });
  router.use('/assets', express.static(join(directory, 'assets'), { index: false, immutable: true, maxAge: '365d' }));
  router.use(express.static(directory, { index: false, maxAge: '1d' }));
  return router;
}

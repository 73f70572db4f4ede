import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';
import { type CspDirectives, securityHeaders } from './security-headers';

/** Where the token settings app (web/) is served; the GraphQL endpoint it talks to stays at /graphql. */
export const WEB_APP_PATH = '/tokens/';

/**
 * The service's page headers (security-headers.ts), stricter still: the app's own files only, with
 * not even an inline <style> element (GraphiQL needs those; the app does not).
 */
export const WEB_APP_CSP: CspDirectives = { 'style-src-elem': ["'self'"] };

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

/**
 * The built app, mounted at WEB_APP_PATH: index.html revalidated at every load (it names the
 * current assets), the content-hashed assets cached for a year. `npm run build` makes the files.
 */
export function webApp(directory = builtAppDirectory()): Router {
  const router = express.Router();
  const index = join(directory, 'index.html');
  router.use(securityHeaders(WEB_APP_CSP));
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

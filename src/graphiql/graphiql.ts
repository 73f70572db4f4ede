import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

const ASSETS = {
  'react.production.min.js': join(dirname(require.resolve('react/package.json')), 'umd/react.production.min.js'),
  'react-dom.production.min.js': join(dirname(require.resolve('react-dom/package.json')), 'umd/react-dom.production.min.js'),
  'graphiql.min.js': join(dirname(require.resolve('graphiql/package.json')), 'graphiql.min.js'),
  'graphiql.min.css': join(dirname(require.resolve('graphiql/package.json')), 'graphiql.min.css'),
};

const EXAMPLE_QUERY = `# Paste a sign-in header in Headers below:
#   { "Authorization": "Bearer <token printed at start-up>" }
# The Docs explorer shows each field's @auth rule.
{
  me { subject permissions { permission managementZone { name } } }
  scopes { value name requiredPermission managementZoneScoped }
}
`;

/** GraphiQL, served from this package's own files: it works with no internet access. */
export function graphiqlPage(endpoint: string): string {
  const config = JSON.stringify({ endpoint, query: EXAMPLE_QUERY }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tessera GraphiQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading…</div>
<script type="application/json" id="graphiql-config">${config}</script>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script src="/graphiql/start.js"></script>
</body>
</html>`;
}

const START_SCRIPT = `(function () {
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: config.endpoint, headers: { 'apollo-require-preflight': 'true' } });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: config.query, isHeadersEditorEnabled: true, shouldPersistHeaders: true })
  );
})();`;

export function graphiqlAssets(): Router {
  const router = express.Router();
  for (const [name, file] of Object.entries(ASSETS)) {
    router.get(`/${name}`, (_request, response) => response.sendFile(file, { maxAge: '1d', immutable: true }));
  }
  router.get('/start.js', (_request, response) => response.type('application/javascript').send(START_SCRIPT));
  return router;
}

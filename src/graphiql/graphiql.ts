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
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<link rel="stylesheet" href="/graphiql/page.css">
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

const PAGE_STYLE = 'body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }\n';

/**
 * Starts GraphiQL with a storage that keeps header values (a 12-hour sign-in token, an access
 * token) out of localStorage unless the user turned "Persist headers" on in GraphiQL's settings:
 * GraphiQL keeps them under `graphiql:headers`, in each tab of `graphiql:tabState` and in the
 * history. The choice is kept under a key of the page's own, so a browser that used an earlier
 * page, which persisted headers without asking, starts opted out, and what it left is cleared.
 */
const START_SCRIPT = `(function () {
  var OPTED_IN = 'tessera:graphiql:persistHeaders';
  var HEADERS = 'graphiql:headers';
  var PERSIST = 'graphiql:shouldPersistHeaders';
  var WITH_HEADERS = ['graphiql:tabState', 'graphiql:queries', 'graphiql:favorites'];
  function optedIn() { return localStorage.getItem(OPTED_IN) === 'true'; }
  function withoutHeaders(value) {
    try {
      return JSON.stringify(JSON.parse(value, function (key, inner) { return key === 'headers' ? null : inner; }));
    } catch (notJson) {
      return value;
    }
  }
  function graphiqlKeys() {
    var keys = [];
    for (var i = 0; i < localStorage.length; i += 1) {
      var key = localStorage.key(i);
      if (key && key.indexOf('graphiql:') === 0) keys.push(key);
    }
    return keys;
  }
  var storage = {
    getItem: function (key) { return localStorage.getItem(key); },
    setItem: function (key, value) {
      if (key === PERSIST) {
        if (value === 'true') localStorage.setItem(OPTED_IN, 'true');
        else localStorage.removeItem(OPTED_IN);
      } else if (!optedIn()) {
        if (key === HEADERS) return localStorage.removeItem(key);
        if (WITH_HEADERS.indexOf(key) >= 0) value = withoutHeaders(value);
      }
      localStorage.setItem(key, value);
    },
    removeItem: function (key) { localStorage.removeItem(key); },
    clear: function () { graphiqlKeys().forEach(function (key) { localStorage.removeItem(key); }); },
    get length() { return graphiqlKeys().length; }
  };
  if (!optedIn()) {
    localStorage.removeItem(HEADERS);
    WITH_HEADERS.forEach(function (key) {
      var value = localStorage.getItem(key);
      if (value !== null) localStorage.setItem(key, withoutHeaders(value));
    });
  }
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: config.endpoint, headers: { 'apollo-require-preflight': 'true' } });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: config.query,
      isHeadersEditorEnabled: true,
      storage: storage,
      // Undefined, not false, while opted out: false would also hide the settings' "Persist headers" switch.
      shouldPersistHeaders: optedIn() || undefined
    })
  );
})();`;

export function graphiqlAssets(): Router {
  const router = express.Router();
  for (const [name, file] of Object.entries(ASSETS)) {
    router.get(`/${name}`, (_request, response) => response.sendFile(file, { maxAge: '1d', immutable: true }));
  }
  router.get('/start.js', (_request, response) => response.type('application/javascript').send(START_SCRIPT));
  router.get('/page.css', (_request, response) => response.type('text/css').send(PAGE_STYLE));
  return router;
}

// The token settings app: built into dist/web-app/ and served by the service at /tokens/
// (src/http/web-app.ts) under a Content-Security-Policy that allows only the app's own files.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/tokens/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web-app', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No data: URLs (the CSP allows only the app's own files) and no inline preload script.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  // `npx vite --config web/vite.config.mts` beside `npm start`: the API stays on the service.
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});

// `npm run build:web`: type-checks the token settings app and builds it into dist/web-app/ with
// Vite, unless what is there is newer than everything it is made from (so `npm start` and
// `npm test` do not spend seconds rebuilding an app nobody changed). `--force` builds anyway.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist/web-app/index.html');
const sources = ['web', 'client/generated', 'client/client.ts', 'package-lock.json'].map((path) => join(root, path));

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const current = existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.filter(existsSync).map(newest));
if (current && !process.argv.includes('--force')) process.exit(0);

const require = createRequire(import.meta.url);
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'web/tsconfig.json')], { stdio: 'inherit' });
const { build } = await import('vite');
await build({ configFile: join(root, 'web/vite.config.mts'), logLevel: 'warn' });

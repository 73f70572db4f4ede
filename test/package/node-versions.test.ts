import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

/**
 * The Node versions package.json promises (`engines`) against what every package in the lock file
 * declares: the service's own dependencies must all run wherever `engines` says it runs; the
 * development tools whose dependencies want more are the ones the README names.
 */
const ROOT = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; engines?: { node?: string }; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>;
};
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const supported: string = pkg.engines.node;

/** Lock-file paths of packages whose engines leave out a Node version `engines` admits. */
function needingMore(dev: boolean): string[] {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && Boolean(entry.dev) === dev && entry.engines?.node && !semver.subset(supported, entry.engines.node))
    .map(([path]) => path);
}

/** The lock-file path `name` resolves to from the package at `from`, as Node's resolution walks up node_modules folders. */
function resolveFrom(from: string, name: string): string | undefined {
  for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf('/node_modules/')))) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (base === '') return undefined;
  }
}

/** Every lock-file path reachable from a direct dependency. */
function treeOf(name: string): Set<string> {
  const seen = new Set<string>();
  const pending = [resolveFrom('', name)!];
  while (pending.length > 0) {
    const path = pending.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const { dependencies = {}, optionalDependencies = {} } = lock.packages[path];
    for (const dependency of Object.keys({ ...dependencies, ...optionalDependencies })) {
      const resolved = resolveFrom(path, dependency);
      if (resolved) pending.push(resolved);
    }
  }
  return seen;
}

describe('the Node versions package.json supports', () => {
  it('is a valid range that the README states', () => {
    expect(semver.validRange(supported)).not.toBeNull();
    expect(readme).toContain(`\`${supported}\``);
  });

  it('are supported by every package the service runs on', () => {
    expect(needingMore(false)).toEqual([]);
  });

  it('are supported by every development tool but those the README names as needing more', () => {
    const devTools = Object.keys(pkg.devDependencies);
    const offenders = needingMore(true);
    const toolsNeedingMore = devTools.filter((tool) => offenders.some((path) => treeOf(tool).has(path))).sort();
    expect(toolsNeedingMore).toEqual(['@graphql-codegen/cli', '@graphql-codegen/client-preset', 'fastify', 'mercurius']);
    for (const tool of toolsNeedingMore) expect(readme).toContain(tool);
  });
});

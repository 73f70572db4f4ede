import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The README points at tests, source files and pictures to show where each behaviour lives; when
 * one moves, the pointer must move with it.
 */
const ROOT = join(__dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('the README', () => {
  it('names only files that exist: source, tests (the limits table names them under test/), pictures', () => {
    const named = new Set<string>();
    for (const [, path] of README.matchAll(/`((?:src|test|web|client|bench|docs)\/[\w./-]+\.(?:ts|tsx|mjs|png|graphql))`/g)) named.add(path);
    for (const [, path] of README.matchAll(/\]\(((?:docs)\/[\w./-]+\.png)\)/g)) named.add(path);
    for (const [, path] of README.matchAll(/`([a-z-]+\/[\w.-]+\.test\.ts)`/g)) named.add(`test/${path}`);
    expect(named.size).toBeGreaterThan(20);
    expect([...named].filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});

import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');
const GENERATED = join(ROOT, 'client/generated');

/**
 * `generate` from @graphql-codegen/cli with the configuration `npm run codegen` uses (codegen.ts,
 * loaded by the CLI's own loader), kept in memory and printed as JSON. It runs in a child Node:
 * the CLI's dependencies include ESM-only packages that Jest's CommonJS runtime cannot load.
 */
const GENERATE_IN_MEMORY = `
const { generate, loadCodegenConfig } = require('@graphql-codegen/cli');
(async () => {
  const { config } = await loadCodegenConfig({ configFilePath: 'codegen.ts' });
  const outputs = await generate({ ...config, cwd: process.cwd(), silent: true }, false);
  process.stdout.write(JSON.stringify(outputs.map(({ filename, content }) => ({ filename, content }))));
})().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;

describe('client/generated/', () => {
  let expected: Map<string, string>;

  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', GENERATE_IN_MEMORY], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const outputs = JSON.parse(stdout) as { filename: string; content: string }[];
    expected = new Map(outputs.map((output) => [relative(ROOT, resolve(ROOT, output.filename)), output.content]));
  }, 60_000);

  it('is what codegen makes of schema.graphql and client/operations today (run `npm run codegen` when this fails)', () => {
    expect(expected.size).toBeGreaterThan(0);
    for (const [file, content] of expected) {
      expect({ file, content: readFileSync(join(ROOT, file), 'utf8') }).toEqual({ file, content });
    }
  });

  it('holds no file codegen no longer makes', () => {
    const onDisk = readdirSync(GENERATED).map((name) => relative(ROOT, join(GENERATED, name)));
    expect(onDisk.sort()).toEqual([...expected.keys()].sort());
  });
});

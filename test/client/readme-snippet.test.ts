import { join } from 'node:path';
import ts from 'typescript';
import { readmeBlockUnder } from '../helpers/readme';

/**
 * The README's typed-client snippet compiles as pasted into a file at the project's root, with the
 * project's compiler options; and a misspelt input field, as its comment promises, does not.
 */
const ROOT = join(__dirname, '../..');

function diagnosticsOf(source: string): string[] {
  const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
  const file = join(ROOT, 'readme-snippet.ts');
  const host = ts.createCompilerHost({ ...options, noEmit: true, incremental: false });
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  // The snippet lives in memory only; everything it imports is read from disk.
  host.fileExists = ((exists) => (name: string) => name === file || exists(name))(host.fileExists.bind(host));
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  const program = ts.createProgram([file], { ...options, noEmit: true, incremental: false }, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file?.fileName === file || !diagnostic.file)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

describe('the README\'s typed-client snippet', () => {
  const snippet = readmeBlockUnder('## A typed client', 'ts');

  it('compiles as pasted', () => {
    expect(diagnosticsOf(snippet)).toEqual([]);
  }, 60_000);

  it('does not compile with a misspelt input field', () => {
    const misspelt = snippet.replace("scopes: ['metrics.read']", "scope: ['metrics.read']");
    expect(misspelt).not.toBe(snippet);
    expect(diagnosticsOf(misspelt).length).toBeGreaterThan(0);
  }, 60_000);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessRuleOf, printAccessRule } from '../../src/graphql/access-rules';
import { buildDocumentedSchema } from '../../src/app/schema';

/**
 * The README's authority table names, for each token action, the field rule it runs under. The
 * schema is the one source of those rules: this keeps the table from drifting away from it.
 */
function authorityTable(): { action: string; rule: string }[] {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const section = readme.split('### Who may do what to which token')[1]?.split('\n#')[0];
  if (!section) throw new Error('the README has no authority table');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| action') && !line.startsWith('| ---'))
    .map((line) => {
      const [action, rule] = line.split(' | ');
      return { action: action.slice(2), rule };
    });
}

describe('the README\'s authority table', () => {
  it('states each field\'s rule exactly as the schema enforces it', async () => {
    const schema = await buildDocumentedSchema();
    const roots = { ...schema.getQueryType()!.getFields(), ...schema.getMutationType()!.getFields() };
    const rows = authorityTable();
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const fields = [...row.action.matchAll(/`(\w+)/g)].map((match) => match[1]).filter((name) => name in roots);
      expect({ action: row.action, fields: fields.length > 0 }).toEqual({ action: row.action, fields: true });
      for (const name of fields) {
        expect({ field: name, rule: `\`${printAccessRule(accessRuleOf(schema, roots[name])!)}\`` }).toEqual({ field: name, rule: row.rule });
      }
    }
  });

  it('has a row for every mutation of tokens', async () => {
    const schema = await buildDocumentedSchema();
    const named = new Set(authorityTable().flatMap((row) => [...row.action.matchAll(/`(\w+)/g)].map((match) => match[1])));
    const tokenMutations = Object.keys(schema.getMutationType()!.getFields()).filter((name) => /AccessToken|ApiToken|LeakedToken/.test(name));
    expect(tokenMutations.length).toBeGreaterThan(5);
    expect(tokenMutations.filter((name) => !named.has(name))).toEqual([]);
  });
});

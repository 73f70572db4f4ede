import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The first fenced block of `language` under a README heading, as a reader would copy it. */
export function readmeBlockUnder(heading: string, language: string): string {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const at = readme.indexOf(`\n${heading}\n`);
  const block = at < 0 ? undefined : new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(readme.slice(at))?.[1];
  if (!block) throw new Error(`README.md has no ${language} block under "${heading}"`);
  return block;
}

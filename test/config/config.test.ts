import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../../src/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('configuration', () => {
  it('reports every bad value at once, one message each, naming the variable', () => {
    const problems = problemsOf({ PORT: 'abc', DB_POOL_MAX: '0', AUTH_JWKS_URL: 'not-a-url' });
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT: must be a whole number from 0 to 65535',
        'DB_POOL_MAX: must be a whole number from 1 to 200',
        expect.stringMatching(/^AUTH_JWKS_URL: /),
      ]),
    );
  });

  it.each([
    ['PORT', '4000.5'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'prod'],
    ['TRUST_PROXY', 'yes'],
    ['METRICS_TOKEN', 'short'],
    ['METRICS_PORT', 'abc'],
    ['METRICS_PORT', '65536'],
    ['METRICS_PORT', '4000'],
    ['METRICS_HOST', '0.0.0.0'],
    ['TOKEN_PEPPER', 'too-short'],
  ])('refuses %s=%p', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
  });

  it('refuses to verify sign-ins against a key set without issuer and audience checks', () => {
    const problems = problemsOf({ AUTH_JWKS_URL: 'https://id.example.com/.well-known/jwks.json' });
    expect(problems.sort()).toEqual(['AUTH_AUDIENCE: is required with AUTH_JWKS_URL', 'AUTH_ISSUER: is required with AUTH_JWKS_URL']);
  });

  it('refuses a key set fetched over plain HTTP from anywhere but loopback', () => {
    const checked = { AUTH_ISSUER: 'https://id.example.com/', AUTH_AUDIENCE: 'tessera' };
    expect(problemsOf({ ...checked, AUTH_JWKS_URL: 'http://id.example.com/jwks.json' })).toEqual([
      expect.stringMatching(/^AUTH_JWKS_URL: must be an https:\/\/ URL/),
    ]);
    for (const url of ['https://id.example.com/jwks.json', 'http://127.0.0.1:8080/jwks.json', 'http://localhost/jwks', 'http://[::1]:9000/jwks']) {
      expect(loadConfig({ ...checked, AUTH_JWKS_URL: url }).auth.jwksUrl).toBe(url);
    }
  });

  it('caps the sign-in lifetime it accepts at a day by default, configurable', () => {
    expect(loadConfig({}).auth).toMatchObject({ maxLifetimeSeconds: 86_400, clockSkewSeconds: 60 });
    expect(loadConfig({ AUTH_MAX_LIFETIME_S: '3600', AUTH_CLOCK_SKEW_S: '5' }).auth).toMatchObject({ maxLifetimeSeconds: 3600, clockSkewSeconds: 5 });
    expect(problemsOf({ AUTH_MAX_LIFETIME_S: '0' })).toEqual([expect.stringMatching(/^AUTH_MAX_LIFETIME_S: /)]);
  });

  it('never repeats a secret in its messages', () => {
    const problems = problemsOf({ METRICS_TOKEN: 'tiny-secret', TOKEN_PEPPER: 'pepper-secret' });
    expect(problems.join('\n')).not.toMatch(/tiny-secret|pepper-secret/);
  });

  it('takes an empty value as unset, not as 0', () => {
    expect(loadConfig({ PORT: '', DB_POOL_MAX: '' })).toEqual(expect.objectContaining({ port: 4000, database: expect.objectContaining({ poolMax: 10 }) }));
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
  });

  it('has no metrics listener unless METRICS_PORT is set, and puts it on loopback unless METRICS_HOST says otherwise', () => {
    expect(loadConfig({}).metricsListener).toBeNull();
    expect(loadConfig({ METRICS_PORT: '9464' }).metricsListener).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '0', METRICS_HOST: '::' }).metricsListener).toEqual({ port: 0, host: '::' });
    expect(loadConfig({ PORT: '0', METRICS_PORT: '0' }).metricsListener).toEqual({ port: 0, host: '127.0.0.1' });
  });

  it('reads METRICS_TOKEN, unset by default', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'a-scraper-secret-of-some-length' }).metricsToken).toBe('a-scraper-secret-of-some-length');
  });

  it('stops the start before anything else, one line per problem, exit code 1', async () => {
    const main = join(__dirname, '../../src/main.ts');
    const failure = await promisify(execFile)(process.execPath, ['-r', 'ts-node/register/transpile-only', main], {
      env: { ...process.env, PORT: 'abc', DB_POOL_MAX: '0', AUTH_JWKS_URL: 'not-a-url', DATABASE_URL: '', DATA_DIR: '/nonexistent/tessera' },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect('code' in failure && failure.code).toBe(1);
    const lines = failure.stderr.trim().split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.slice(1).map((line) => line.trim().split(':')[0])).toEqual(['- PORT', '- DB_POOL_MAX', '- AUTH_JWKS_URL']);
    expect(failure.stdout).not.toMatch(/listening/);
  }, 60_000);

  it('documents every variable it reads in .env.example and the README table', () => {
    const read = (file: string) => readFileSync(join(__dirname, '../..', file), 'utf8');
    const schema = read('src/config.ts');
    const variables = [...schema.slice(schema.indexOf('const environmentSchema'), schema.indexOf('.superRefine')).matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map(
      (match) => match[1],
    );
    expect(variables).toEqual(expect.arrayContaining(['PORT', 'METRICS_TOKEN', 'LOG_LEVEL']));
    const example = read('.env.example');
    const readmeTable = read('README.md')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .join('\n');
    expect(variables.filter((name) => !new RegExp(`^# ${name}=`, 'm').test(example))).toEqual([]);
    expect(variables.filter((name) => !readmeTable.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('TRUST_PROXY', () => {
  it.each([
    ['', false],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['10.0.0.0/8, loopback', ['10.0.0.0/8', 'loopback']],
  ])('reads %j as %j', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('refuses anything else', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });
});

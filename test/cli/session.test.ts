import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jwtVerify } from 'jose';

/**
 * `npm run session` as a user runs it: the compiled CLI (`npm test` builds dist/ first), so each
 * case costs a Node start, not a build.
 */
const ROOT = join(__dirname, '../..');
const SESSION = join(ROOT, 'dist/src/cli/session.js');
const SECRET = randomBytes(32).toString('hex');

async function session(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SESSION, ...args], {
      env: { ...process.env, AUTH_JWT_SECRET: SECRET, DATABASE_URL: '', AUTH_JWKS_URL: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function subjectOf(bearer: string): Promise<{ sub?: string; email?: unknown; lifetime: number }> {
  const { payload } = await jwtVerify(bearer.replace(/^Bearer /, ''), new TextEncoder().encode(SECRET));
  return { sub: payload.sub, email: payload.email, lifetime: payload.exp! - payload.iat! };
}

describe('npm run session', () => {
  it('prints a header line for curl -H, signed for the user, valid 12 h by default', async () => {
    const { code, stdout } = await session('--sub', 'alice', '--email', 'alice@example.com');
    expect(code).toBe(0);
    const [, name, value] = /^(Authorization): (Bearer \S+)\n$/.exec(stdout)!;
    expect(name).toBe('Authorization');
    expect(await subjectOf(value)).toEqual({ sub: 'alice', email: 'alice@example.com', lifetime: 12 * 3600 });
  });

  it('prints JSON for GraphiQL\'s Headers tab with --json, for as long as --ttl says', async () => {
    const { code, stdout } = await session('--sub', 'admin', '--json', '--ttl', '30m');
    expect(code).toBe(0);
    const headers = JSON.parse(stdout);
    expect(Object.keys(headers)).toEqual(['Authorization']);
    expect(await subjectOf(headers.Authorization)).toMatchObject({ sub: 'admin', lifetime: 30 * 60 });
  });

  it('prints its usage with --help, and exits 0', async () => {
    const { code, stdout } = await session('--help');
    expect(code).toBe(0);
    for (const option of ['--sub', '--email', '--name', '--ttl', '--json']) expect(stdout).toContain(option);
  });

  it('refuses a --ttl that is not a duration with exit code 2, showing durations it takes', async () => {
    for (const ttl of ['soon', '12', '-1h', '1.5h', '0h']) {
      const { code, stdout, stderr } = await session('--sub', 'alice', '--ttl', ttl);
      expect({ ttl, code, stdout }).toEqual({ ttl, code: 2, stdout: '' });
      expect(stderr).toMatch(/--ttl \d+[smhd]\b/);
    }
  });

  it('refuses a --ttl longer than the service accepts (AUTH_MAX_LIFETIME_S), which would only make a header it refuses', async () => {
    const { code, stdout, stderr } = await session('--sub', 'alice', '--ttl', '7d');
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain('AUTH_MAX_LIFETIME_S=86400');
    expect((await session('--sub', 'alice', '--ttl', '24h')).code).toBe(0);
  });

  it('refuses a missing --sub or an unknown option with exit code 2 and prints no header', async () => {
    for (const args of [[], ['--email', 'a@example.com'], ['--sub', 'alice', '--subject', 'x'], ['--sub']]) {
      const { code, stdout } = await session(...args);
      expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' });
    }
  });
});

describe('npm start and npm run session', () => {
  it('build incrementally: with dist/ newer than the sources (npm test has just built it), nothing is built again', async () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(scripts.prestart).toBe('npm run build');
    expect(scripts.build).toBe('npm run build:server --silent && npm run build:web --silent');
    expect(scripts.session).toMatch(/^npm run build:server --silent && /);
    expect(scripts['build:server']).toBe('tsc -b tsconfig.build.json');
    const { stdout } = await promisify(execFile)(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json', '--dry'], {
      cwd: ROOT,
    });
    expect(stdout).toMatch(/is up to date/);
    expect(stdout).not.toMatch(/would build/i);
    // The app's build (Vite, seconds) is skipped too: its output keeps its time.
    const app = join(ROOT, 'dist/web-app/index.html');
    const before = statSync(app).mtimeMs;
    await promisify(execFile)(process.execPath, [join(ROOT, 'web/build.mjs')], { cwd: ROOT });
    expect(statSync(app).mtimeMs).toBe(before);
  });
});

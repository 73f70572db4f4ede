import { parseArgs } from 'node:util';
import { signSession } from '../auth/sign-in';
import { loadConfig } from '../config';
import { loadLocalSecrets } from '../database/embedded';

const USAGE = 'usage: npm run session -- --sub <subject> [--email <email>] [--name <name>] [--ttl 12h]';

/** `npm run session -- --sub alice --email alice@example.com`: prints an Authorization header for that user. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string', default: '12h' },
    },
  });
  if (!values.sub) throw new Error(USAGE);
  const config = loadConfig();
  if (config.auth.jwksUrl) throw new Error('Sign-in is delegated to AUTH_JWKS_URL: get a token from that identity provider');
  const secret = config.auth.jwtSecret ?? (await loadLocalSecrets(config.dataDir)).jwtSecret;
  const token = await signSession(
    secret,
    { sub: values.sub, email: values.email, name: values.name },
    { expiresIn: values.ttl, issuer: config.auth.issuer, audience: config.auth.audience },
  );
  process.stdout.write(`Authorization: Bearer ${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});

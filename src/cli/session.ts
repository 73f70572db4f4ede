import { parseArgs } from 'node:util';
import { signSession } from '../auth/sign-in';
import { loadConfig } from '../config';
import { loadLocalSecrets } from '../database/embedded';
import { describeError } from '../describe-error';
import { headerJson, headerLine } from './headers';

const USAGE = `usage: npm run session -- --sub <subject> [--email <email>] [--name <name>] [--ttl 12h] [--json]

Prints an Authorization header that signs in the user <subject> (made on its first request),
signed with this service's sign-in secret (AUTH_JWT_SECRET, or the one kept in DATA_DIR).

  --sub     the user's stable id; the bootstrap admin is "admin" (BOOTSTRAP_ADMIN_SUBJECT)
  --email   the user's email, shown in the API
  --name    the user's display name
  --ttl     how long the header is valid: a number and s, m, h or d (default 12h, e.g. --ttl 30m), at most AUTH_MAX_LIFETIME_S (24h)
  --json    print {"Authorization":"Bearer …"} for GraphiQL's Headers tab, instead of the header line for curl -H

  ADMIN="$(npm run --silent session -- --sub admin)"
  curl http://127.0.0.1:4000/graphql -H "$ADMIN" -H 'content-type: application/json' -d '{"query":"{ me { subject } }"}'`;

/** Bad arguments: the message and the usage, exit code 2. */
class UsageError extends Error {}

/** The durations --ttl takes: a whole number and a unit, as jose reads them. */
const TTL = /^([1-9][0-9]*)(s|m|h|d)$/;
const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    // parseArgs says which option it does not know, or which one lacks its value.
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.sub?.trim()) throw new UsageError('--sub <subject> is required, e.g. --sub admin or --sub alice');
  if (!TTL.test(values.ttl)) throw new UsageError(`--ttl ${JSON.stringify(values.ttl)} is not a duration: give a number and s, m, h or d, e.g. --ttl 30m, --ttl 12h or --ttl 7d`);
  const config = loadConfig();
  const [, amount, unit] = TTL.exec(values.ttl)!;
  const maxSeconds = config.auth.maxLifetimeSeconds;
  if (Number(amount) * SECONDS_PER_UNIT[unit] > maxSeconds) {
    // The service would refuse it: a sign-in lives at most AUTH_MAX_LIFETIME_S.
    throw new UsageError(`--ttl ${values.ttl} is longer than the service accepts (AUTH_MAX_LIFETIME_S=${maxSeconds}, ${maxSeconds / 3600} h): e.g. --ttl 12h`);
  }
  if (config.auth.jwksUrl) throw new Error('Sign-in is delegated to AUTH_JWKS_URL: get a token from that identity provider');
  const secret = config.auth.jwtSecret ?? (await loadLocalSecrets(config.dataDir)).jwtSecret;
  const jwt = await signSession(
    secret,
    { sub: values.sub, email: values.email, name: values.name },
    { expiresIn: values.ttl, issuer: config.auth.issuer, audience: config.auth.audience },
  );
  process.stdout.write(`${values.json ? headerJson(jwt) : headerLine(jwt)}\n`);
}

function parse() {
  return parseArgs({
    options: {
      sub: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string', default: '12h' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? error.message : describeError(error)}\n`);
  process.exit(1);
});

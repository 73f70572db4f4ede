import { QueryFailedError } from 'typeorm';
import { createLogger, wantsPrettyLogs } from '../../src/logger';
import { generateToken } from '../../src/tokens/token-secret';
import { TestService } from '../helpers/service';

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  operation?: string;
  caller?: { kind: string; userId?: string; tokenId?: string } | null;
  status?: number;
  outcome?: string;
  errorCodes?: string[];
  durationMs?: number;
  [key: string]: unknown;
}

const output: string[] = [];
let service: TestService;

/** Every line written so far, parsed: each must be one JSON object. */
function lines(): LogLine[] {
  return output.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine);
}

function requestLines(): LogLine[] {
  return lines().filter((line) => line.msg === 'graphql request');
}

async function post(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

beforeAll(async () => {
  // The most talkative level, so that anything that could leak is written.
  service = await TestService.start({}, createLogger({ level: 'trace' }, { write: (line: string) => void output.push(line) }));
});
afterAll(() => service?.stop());

describe('the log of a full token scenario', () => {
  const secrets: string[] = [];
  let patId: string;
  let aliceId: string;

  beforeAll(async () => {
    const admin = await service.admin();
    const alice = await service.user('alice');
    aliceId = alice.userId;
    secrets.push(admin.authorization, alice.authorization);
    await service.setFeature(true);

    const created = await post(
      {
        query: 'mutation CreatePat($input: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $input) { token accessToken { id } } }',
        variables: { input: { name: 'ci', scopes: ['metrics.read'] } },
      },
      { authorization: alice.authorization },
    );
    const { token, accessToken } = ((await created.json()) as any).data.createPersonalAccessToken;
    patId = accessToken.id;
    secrets.push(token);

    const used = await post({ query: 'query UsePat { authorize(scope: "metrics.read") { allowed } }' }, { authorization: `Api-Token ${token}` });
    expect(used.status).toBe(200);

    const rotated = await post(
      { query: 'mutation RotatePat($id: ID!) { rotateAccessToken(id: $id) { token } }', variables: { id: patId } },
      { authorization: alice.authorization },
    );
    const newToken = ((await rotated.json()) as any).data.rotateAccessToken.token as string;
    secrets.push(newToken);

    const reported = await post({ query: 'mutation ReportLeak($token: String!) { reportLeakedToken(token: $token) }', variables: { token: newToken } });
    expect(reported.status).toBe(200);

    const badSignIn = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.Zm9yZ2VkLXNpZ25hdHVyZQ';
    secrets.push(badSignIn);
    const failed = await post({ query: 'query FailingSignIn { me { id } }', operationName: 'FailingSignIn' }, { authorization: badSignIn });
    expect(failed.status).toBe(401);
    // A revoked token, sent in the usual header.
    const refused = await post({ query: 'query UseLeaked { authorize(scope: "metrics.read") { allowed } }' }, { authorization: `Api-Token ${newToken}` });
    expect(refused.status).toBe(401);
  });

  it('writes one JSON object a line', () => {
    expect(lines().length).toBeGreaterThan(5);
  });

  it('never contains a token secret, a JWT, or an Authorization value', () => {
    const text = output.join('');
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.replace(/^(Bearer|Api-Token) /, ''));
    }
    expect(text).not.toMatch(/dt0c01\.[A-Z2-7]{24}\.[A-Z2-7]{64}/);
    expect(text).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
    expect(text).not.toMatch(/Bearer |Api-Token /);
  });

  it('writes a line per request, with its id, operation, caller ids, duration and outcome', () => {
    const byOperation = new Map(requestLines().map((line) => [line.operation, line]));
    const created = byOperation.get('CreatePat')!;
    expect(created).toEqual(
      expect.objectContaining({ outcome: 'ok', status: 200, caller: { kind: 'session', userId: aliceId }, requestId: expect.any(String) }),
    );
    expect(created.durationMs).toEqual(expect.any(Number));
    // A token's id is safe to log; its secret is not.
    expect(byOperation.get('UsePat')!.caller).toEqual({ kind: 'personal_access_token', userId: aliceId, tokenId: patId });
    expect(byOperation.get('ReportLeak')).toEqual(expect.objectContaining({ outcome: 'ok', caller: { kind: 'anonymous' } }));
    expect(byOperation.get('FailingSignIn')).toEqual(expect.objectContaining({ outcome: 'UNAUTHENTICATED', status: 401, caller: null }));
    // Outside development the reason is only counted (tessera_authentication_failures_total), not logged.
    expect(byOperation.get('FailingSignIn')).not.toHaveProperty('refusal');
    expect(byOperation.get('UseLeaked')).toEqual(expect.objectContaining({ outcome: 'UNAUTHENTICATED', status: 401 }));
    expect(new Set(requestLines().map((line) => line.requestId)).size).toBe(requestLines().length);
  });

  it('logs the error codes of a request that failed in part', async () => {
    const alice = await service.user('alice');
    await post({ query: 'query AdminOnly { users { id } }' }, { authorization: alice.authorization });
    expect(requestLines().find((line) => line.operation === 'AdminOnly')).toEqual(
      expect.objectContaining({ outcome: 'FORBIDDEN', errorCodes: ['FORBIDDEN'] }),
    );
  });
});

describe('an unexpected database error', () => {
  /** A trap in the test's own database: inserting a token named "trap" fails with an error that quotes the token's hash. */
  const TRAP = [
    `CREATE FUNCTION log_test_trap() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM NEW.secret_hash::text::int; RETURN NEW; END $$`,
    `CREATE TRIGGER log_test_trap BEFORE INSERT ON access_token FOR EACH ROW WHEN (NEW.name = 'trap') EXECUTE FUNCTION log_test_trap()`,
  ];

  it('is logged as its code, message and statement, without the bind parameters or the values it quotes', async () => {
    for (const statement of TRAP) await service.service.dataSource.query(statement);
    const admin = await service.admin();
    const before = output.length;
    const answer = await post(
      { query: 'mutation Trapped { createApiToken(input: { name: "trap", scopes: ["metrics.read"] }) { token } }' },
      { authorization: admin.authorization },
    );
    const body = (await answer.json()) as any;
    expect(body.errors.map((error: any) => error.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);

    const written = output.slice(before).join('');
    const logged = written.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine).find((line) => line.msg === 'unexpected error in a request')!;
    expect(logged.err).toEqual(
      expect.objectContaining({ type: 'QueryFailedError', code: '22P02', query: expect.stringMatching(/INSERT INTO access_token /) }),
    );
    expect(logged.err).not.toHaveProperty('parameters');
    expect(logged.err).not.toHaveProperty('driverError');
    expect(logged.err).not.toHaveProperty('detail');
    // The hash, as a bound Buffer or as the hex text PostgreSQL quoted in its message, is nowhere.
    expect(written).not.toMatch(/\\\\x[0-9a-f]{16}/);
    expect(written).not.toMatch(/"type":"Buffer"/);
    expect(written).not.toMatch(/[0-9a-f]{64}/);
    expect(String((logged.err as any).message)).toMatch(/^invalid input syntax for type integer/);
  });
});

describe('in development', () => {
  const written: string[] = [];
  let development: TestService;

  beforeAll(async () => {
    development = await TestService.start({ NODE_ENV: 'development' }, createLogger({ level: 'info' }, { write: (line: string) => void written.push(line) }));
    await development.setFeature(true);
  });
  afterAll(() => development?.stop());

  it('names why a credential was refused in the request\'s log line, while the client still hears only UNAUTHENTICATED', async () => {
    const alice = await development.user();
    const pat = await development.createPat(alice, ['metrics.read']);
    const expiredSignIn = await development.sessionHeader(alice.subject, {}, { expiresIn: '-1m' });
    const attempts: [string, string, () => Promise<void>][] = [
      ['expired_jwt', expiredSignIn, async () => undefined],
      ['bad_jwt', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.Zm9yZ2VkLXNpZ25hdHVyZQ', async () => undefined],
      ['unknown', `Api-Token ${generateToken().token}`, async () => undefined],
      ['malformed', 'Basic dXNlcjpwYXNz', async () => undefined],
      ['suspended', pat.authorization, () => development.setFeature(false)],
    ];
    const answers: unknown[] = [];
    for (const [reason, authorization, before] of attempts) {
      await before();
      const response = await fetch(development.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: `query Refused_${reason} { me { id } }` }),
      });
      answers.push({ status: response.status, body: await response.json() });
    }
    await development.setFeature(true);

    // The same answer whatever the reason.
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    const logged = written
      .flatMap((text) => text.split('\n'))
      .filter(Boolean)
      .map((text) => JSON.parse(text) as LogLine)
      .filter((line) => line.msg === 'graphql request' && String(line.operation).startsWith('Refused_'));
    expect(logged.map((line) => [line.operation, line.outcome, line.refusal])).toEqual(
      attempts.map(([reason]) => [`Refused_${reason}`, 'UNAUTHENTICATED', reason]),
    );
    const text = written.join('');
    for (const [, authorization] of attempts) expect(text).not.toContain(authorization.replace(/^(Bearer|Api-Token|Basic) /, ''));
  });
});

describe('request ids', () => {
  it('are made for each request and returned in x-request-id', async () => {
    const response = await post({ query: 'query MadeId { __typename }' });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestLines().find((line) => line.operation === 'MadeId')!.requestId).toBe(id);
  });

  it('are taken from a load balancer\'s x-request-id when sane', async () => {
    const response = await post({ query: 'query GivenId { __typename }' }, { 'x-request-id': 'lb-7f3a.42:1' });
    expect(response.headers.get('x-request-id')).toBe('lb-7f3a.42:1');
    expect(requestLines().find((line) => line.operation === 'GivenId')!.requestId).toBe('lb-7f3a.42:1');
  });

  it.each([['too long', 'x'.repeat(65)], ['with spaces and quotes', 'a" b'], ['with JSON in it', '{"level":60}']])(
    'are replaced when the incoming one is %s',
    async (_what, incoming) => {
      const response = await post({ query: 'query OddId { __typename }' }, { 'x-request-id': incoming });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(output.join('')).not.toContain(incoming);
    },
  );
});

describe('the logger', () => {
  it('redacts Authorization headers and secrets wherever they are logged', () => {
    const written: string[] = [];
    const logger = createLogger({ level: 'info' }, { write: (line: string) => void written.push(line) });
    logger.info({ req: { headers: { authorization: 'Bearer abc.def.ghi' } }, token: 'dt0c01.x', input: { secret: 's3cr3t' } }, 'redaction');
    const [line] = written.map((text) => JSON.parse(text));
    expect(line.req.headers.authorization).toBe('[REDACTED]');
    expect(line.token).toBe('[REDACTED]');
    expect(line.input.secret).toBe('[REDACTED]');
  });

  it('logs a database error inside another error (a cause, an AggregateError) without its parameters or quoted values', () => {
    const written: string[] = [];
    const logger = createLogger({ level: 'info' }, { write: (line: string) => void written.push(line) });
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "x"'), {
      code: '23505',
      severity: 'ERROR',
      routine: '_bt_check_unique',
      detail: 'Key (secret_hash)=(\\xdeadbeef) already exists.',
    });
    const failed = new QueryFailedError('INSERT INTO t VALUES ($1)', ['the-bound-secret'], driverError);
    logger.error({ err: new Error('could not save', { cause: failed }) }, 'wrapped');
    logger.error({ err: new AggregateError([failed], 'several') }, 'aggregated');
    const text = written.join('');
    expect(text).not.toMatch(/the-bound-secret|deadbeef|parameters|detail/);
    const [wrapped, aggregated] = written.map((line) => JSON.parse(line));
    expect(wrapped.err.cause).toEqual(expect.objectContaining({ code: '23505', query: 'INSERT INTO t VALUES ($1)' }));
    expect(aggregated.err.aggregateErrors[0].code).toBe('23505');
  });

  it('prints pretty lines only for a terminal in development', () => {
    expect(wantsPrettyLogs('development', true)).toBe(true);
    expect(wantsPrettyLogs('development', false)).toBe(false);
    expect(wantsPrettyLogs('production', true)).toBe(false);
    expect(wantsPrettyLogs('test', true)).toBe(false);
  });
});

import { jwtClaims, readSignIn, sessionCommand } from '../../web/src/lib/session';

const NOW = new Date('2027-01-15T10:00:00Z');
const base64Url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: object) => `${base64Url({ alg: 'HS256', typ: 'JWT' })}.${base64Url(claims)}.c2lnbmF0dXJl`;
const valid = jwt({ sub: 'alice', exp: NOW.getTime() / 1000 + 3600 });

describe('reading what a person pastes to sign in', () => {
  it.each([
    ['the bare token', valid],
    ['the header npm start prints', `  Authorization: Bearer ${valid}\n`],
    ['the header value', `Bearer ${valid}`],
    ['GraphiQL\'s headers JSON', JSON.stringify({ Authorization: `Bearer ${valid}` })],
  ])('takes %s', (_what, input) => {
    const reading = readSignIn(input, NOW);
    expect(reading).toEqual({ ok: true, credential: { authorization: `Bearer ${valid}`, subject: 'alice', expiresAt: new Date(NOW.getTime() + 3_600_000) } });
  });

  it('refuses an expired sign-in token, naming its user for the command that makes a new one', () => {
    const reading = readSignIn(jwt({ sub: 'alice', exp: NOW.getTime() / 1000 - 1 }), NOW);
    expect(reading).toEqual({ ok: false, problem: 'expired', subject: 'alice', expiredAt: new Date(NOW.getTime() - 1000) });
  });

  it('tells an access token and anything else from a sign-in token', () => {
    expect(readSignIn(`Api-Token dt0c01.${'A'.repeat(24)}.${'B'.repeat(64)}`, NOW)).toEqual({ ok: false, problem: 'access-token' });
    expect(readSignIn('hello', NOW)).toEqual({ ok: false, problem: 'not-a-sign-in-token' });
    expect(readSignIn('a.b.c', NOW)).toEqual({ ok: false, problem: 'not-a-sign-in-token' });
    expect(readSignIn('   ', NOW)).toEqual({ ok: false, problem: 'empty' });
  });

  it('reads claims without trusting them, and nothing from a token that is not a JWT', () => {
    expect(jwtClaims(valid)).toEqual({ sub: 'alice', exp: NOW.getTime() / 1000 + 3600 });
    expect(jwtClaims('x.y')).toBeNull();
  });
});

describe('the command that makes a new sign-in token', () => {
  it('names the user, quoted for the shell when it must be', () => {
    expect(sessionCommand('alice')).toBe('npm run session -- --sub alice');
    expect(sessionCommand("o'brien; rm -rf /")).toBe(`npm run session -- --sub 'o'\\''brien; rm -rf /'`);
    expect(sessionCommand()).toBe('npm run session -- --sub <you>');
  });
});
